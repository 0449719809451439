/**
 * The events a client sends (DESIGN.md, "Events"). Every event carries a client-made UUID `id`
 * so the server counts it exactly once, however often it is retried.
 *
 * @module
 */

// The event types are generated from config-schema/schema/event.v1.json (npm run gen:types).
import type { EdgeflagEvent } from "@edgeflag/config-schema";
export type { EdgeflagEvent, ExposureEvent, FeedbackEvent, ExecutionEvent, OutcomeEvent, CustomEvent } from "@edgeflag/config-schema";

/**
 * A UUID v4: crypto.randomUUID where there is one (secure contexts), else crypto.getRandomValues
 * fills the template's x digits ("1", "0" and "8": version 4, variant 10xx).
 */
export const uuid = (): string =>
  crypto.randomUUID?.() ??
  "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) => (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+c / 4)))).toString(16));

/** An event before the client stamps it with id, env and ts. */
export type EventDraft = EdgeflagEvent extends infer E ? (E extends EdgeflagEvent ? Omit<E, "id" | "env" | "ts"> : never) : never;
