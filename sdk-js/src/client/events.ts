/**
 * The events a client sends (DESIGN.md, "Events"). Every event carries a client-made UUID `id`
 * so the server counts it exactly once, however often it is retried.
 *
 * @module
 */

interface Base {
  /** A UUID made by the client: the idempotency key. */
  id: string;
  env: string;
  /** Milliseconds since the epoch, by the client's clock. */
  ts: number;
  subject: string;
}

/** Tied to one assignment: which flag and variant it was. */
interface OfAssignment {
  flag: string;
  variant: string | null;
  assignmentId: string;
}

export interface ExposureEvent extends Base {
  type: "exposure";
  flag: string;
  allocation: string;
  variant: string;
  version: number;
  assignmentId: string;
}

export interface FeedbackEvent extends Base, OfAssignment {
  type: "feedback";
  /** Thumbs: exactly one of `rating` and `score` is set. */
  rating?: "up" | "down";
  score?: number;
  reason?: string;
  comment?: string;
}

export interface ExecutionEvent extends Base, OfAssignment {
  type: "execution";
  model?: string;
  latencyMs?: number;
  ttftMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  cost?: number;
  error?: string;
  metadata?: Record<string, unknown>;
}

export interface OutcomeEvent extends Base, OfAssignment {
  type: "outcome";
  success: boolean;
}

export interface CustomEvent extends Base, Partial<OfAssignment> {
  type: "custom";
  name: string;
  value?: number;
}

export type EdgeflagEvent = ExposureEvent | FeedbackEvent | ExecutionEvent | OutcomeEvent | CustomEvent;

/**
 * A UUID v4: crypto.randomUUID where there is one (secure contexts), else crypto.getRandomValues
 * fills the template's x digits ("1", "0" and "8": version 4, variant 10xx).
 */
export const uuid = (): string =>
  crypto.randomUUID?.() ??
  "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) => (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+c / 4)))).toString(16));

/** An event before the client stamps it with id, env and ts. */
export type EventDraft = EdgeflagEvent extends infer E ? (E extends EdgeflagEvent ? Omit<E, "id" | "env" | "ts"> : never) : never;
