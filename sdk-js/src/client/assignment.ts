/**
 * An assignment: one evaluation's result, plus the methods that tie what happened next to it
 * (an LLM call's record, success or failure, any custom signal).
 *
 * @module
 */
import type { EvaluationResult } from "../core/index.ts";
import type { EventDraft } from "./events.ts";
import { executionFields, type ExecutionMetrics, type RoutedExecution } from "./usage.ts";

export interface Assignment<T = unknown> extends Omit<EvaluationResult, "value"> {
  value: T;
  /** Identifies this assignment in feedback, execution and outcome events. */
  assignmentId: string;
  subject: string;
  /** The config version it was evaluated on, or null when no config was in hand. */
  version: number | null;
  /**
   * Records one LLM execution: token usage and model are read from an OpenAI or Anthropic
   * response; explicit metrics win; other keys go to `metadata`. A model router adds what it
   * knows of the call (`routed`: served variant, attempts, cached tokens…) as typed fields.
   */
  record(response?: unknown, metrics?: ExecutionMetrics, routed?: RoutedExecution): void;
  success(): void;
  failure(): void;
  track(name: string, value?: number): void;
}

/** Builds an event of an assignment (the client fills id, env, ts). */
export type Emit = (event: EventDraft) => void;

/** A custom event's own fields: `value` only when it is a finite number. */
export const custom = (name: string, value?: number) => ({ type: "custom" as const, name: String(name), ...(Number.isFinite(value) && { value }) });

export function makeAssignment<T>(result: EvaluationResult, subject: string, assignmentId: string, version: number | null, emit: Emit): Assignment<T> {
  const of = { subject, flag: result.flag, variant: result.variant, assignmentId };
  return {
    ...(result as Omit<EvaluationResult, "value"> & { value: T }),
    assignmentId,
    subject,
    version,
    record: (response, metrics, routed) => emit({ type: "execution", ...of, ...executionFields(response, metrics), ...routed } as EventDraft),
    success: () => emit({ type: "outcome", ...of, success: true }),
    failure: () => emit({ type: "outcome", ...of, success: false }),
    track: (name, value) => emit({ ...of, ...custom(name, value) }),
  };
}
