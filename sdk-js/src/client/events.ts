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

/** A UUID v4: crypto.randomUUID where there is one (secure contexts), else crypto.getRandomValues. */
export function uuid(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** An event before the client stamps it with id, env and ts. */
export type EventDraft = EdgeflagEvent extends infer E ? (E extends EdgeflagEvent ? Omit<E, "id" | "env" | "ts"> : never) : never;
