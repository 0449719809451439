/**
 * `POST /v1/events[?resent=1]`: a batch of events from the SDK (or anyone). Each event is validated on its
 * own, and each exposure's variant is checked against the signed config version it names
 * (events/assignments.ts: `ASSIGNMENT_MISMATCH` when the config assigns the subject another
 * variant); valid ones go to the `EVENTS` Queue, refused ones come back in `rejected` with the
 * field and the reason, and the rest of the batch is kept. 202 means the accepted events are durable on the Queue; 503 + Retry-After means
 * nothing was taken and the client should send the batch again (ids make that safe).
 *
 * @module
 */
import type { EdgeflagEvent, ExposureEvent } from "@edgeflag/config-schema";
import { validateEvent } from "@edgeflag/config-schema/events";
import { exposureChecker } from "../events/assignments.ts";
import { readEventBatch, type BatchItem } from "../lib/event-body.ts";
import { findJsonProblem } from "@edgeflag/sdk/router";
import { HttpError, json } from "../lib/http.ts";
import { encodeMessage, packMessages, type SizedEvent } from "../events/message.ts";
import { storedIds } from "../events/store.ts";

/** One refused event: its index in the batch, a stable code, the field and why. */
export interface Rejection {
  index: number;
  code: string;
  pointer: string;
  message: string;
}

/** The 202 answer. */
export interface IngestResult {
  /** Events taken for storage; one stored already is ignored there, never counted twice. */
  accepted: number;
  /** Events repeated within the batch, and, for a batch sent with `?resent=1`, events stored already. */
  duplicates: number;
  rejected: Rejection[];
}

/** Largest single event, as UTF-8 JSON. */
const MAX_EVENT_BYTES = 16_384;
/** Deepest nesting of an event, itself included: SQLite's JSON functions refuse deep documents. */
const MAX_DEPTH = 32;

const encoder = new TextEncoder();
const NON_ASCII = /[^\x00-\x7f]/;

/** A valid event, serialized, with its place in the batch. */
interface Checked extends SizedEvent {
  index: number;
  event: EdgeflagEvent;
}

/** One item's verdict: a rejection, or the event with its size in bytes. */
function check(item: BatchItem, index: number, now: number): Rejection | Checked {
  if ("parseError" in item) return { index, code: "BAD_JSON", pointer: "", message: item.parseError };
  // Before the schema and JSON.stringify, both of which recurse: one iterative pass.
  const problem = findJsonProblem(item.value, MAX_DEPTH);
  if (problem?.kind === "too_deep") return { index, code: "EVENT_TOO_DEEP", pointer: problem.pointer, message: `an event may nest at most ${MAX_DEPTH} levels (its metadata ${MAX_DEPTH - 1})` };
  if (problem) return { index, code: "INVALID_FIELD", pointer: problem.pointer, message: "a string or key holds a lone surrogate: it is not well-formed Unicode text" };
  try {
    const v = validateEvent(item.value, { now });
    if (!v.valid) return { index, code: v.code, pointer: v.pointer, message: v.message };
  } catch {
    // The validators must not turn one odd event (e.g. a lone surrogate in a key) into a 500.
    return { index, code: "INVALID_FIELD", pointer: "", message: "the event could not be checked against the schema" };
  }
  const event = item.value as Record<string, unknown>;
  const id = (event.id as string).toLowerCase();
  const json = JSON.stringify(id === event.id ? event : { ...event, id });
  // UTF-8 bytes: the length itself for ASCII (the common case), else counted.
  const size = NON_ASCII.test(json) ? encoder.encode(json).byteLength : json.length;
  if (size > MAX_EVENT_BYTES) return { index, code: "EVENT_TOO_LARGE", pointer: "", message: `an event must be at most ${MAX_EVENT_BYTES} bytes as UTF-8 JSON (got ${size})` };
  return { id, json, size, index, event: event as unknown as EdgeflagEvent };
}

function sort(items: readonly BatchItem[], now: number) {
  const valid: Checked[] = [];
  const rejected: Rejection[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  items.forEach((item, index) => {
    const verdict = check(item, index, now);
    if ("code" in verdict) return void rejected.push(verdict);
    if (seen.has(verdict.id)) return void duplicates++;
    seen.add(verdict.id);
    valid.push(verdict);
  });
  return { valid, rejected, duplicates };
}

/** The events, without the exposures whose variant their config version does not assign (moved to `rejected`). */
async function withoutForged(kv: KVNamespace, valid: Checked[], rejected: Rejection[], now: number): Promise<Checked[]> {
  const exposures = valid.filter((c) => c.event.type === "exposure");
  if (exposures.length === 0) return valid;
  let check: Awaited<ReturnType<typeof exposureChecker>>;
  try {
    check = await exposureChecker(kv, exposures.map((c) => c.event as ExposureEvent), now);
  } catch (e) {
    console.error("edgeflag: config versions could not be read to check exposures", e);
    throw new HttpError(503, "CONFIG_UNAVAILABLE", "exposures cannot be checked right now: send the batch again later", { headers: { "Retry-After": "30" } });
  }
  const kept: Checked[] = [];
  for (const c of valid) {
    const refusal = c.event.type === "exposure" ? check(c.event) : null;
    if (refusal) rejected.push({ index: c.index, ...refusal });
    else kept.push(c);
  }
  rejected.sort((a, b) => a.index - b.index);
  return kept;
}

/**
 * The handler, with the exposure check (`checkExposures: false` only for the bench row that
 * measures what the check costs).
 *
 * @example
 * const unchecked = eventsRoute({ checkExposures: false });
 */
export function eventsRoute(options: { checkExposures: boolean }): (request: Request, env: Env) => Promise<Response> {
  return async (request, env) => {
    const now = Date.now();
    const sorted = sort(await readEventBatch(request), now);
    const { rejected, duplicates: repeated } = sorted;
    const valid = options.checkExposures ? await withoutForged(env.FLAGS, sorted.valid, rejected, now) : sorted.valid;
    // A batch the client sent before (`?resent=1`, the SDK marks retries and reloads) is checked
    // against D1, and ids stored already are answered as duplicates. Fresh batches skip that read:
    // their ids are new, and the consumer's INSERT OR IGNORE is what guarantees once either way
    // (a D1 hiccup here only makes the duplicate count smaller).
    const resent = new URL(request.url).searchParams.has("resent");
    const known = resent ? await storedIds(env.DB, valid.map((e) => e.id)).catch(() => new Set<string>()) : new Set<string>();
    const fresh = valid.filter((e) => !known.has(e.id));
    try {
      for (const message of packMessages(fresh, now)) await env.EVENTS.send(encodeMessage(message), { contentType: "text" });
    } catch (e) {
      console.error("edgeflag: the EVENTS queue refused a batch", e);
      throw new HttpError(503, "QUEUE_UNAVAILABLE", "events cannot be stored right now: send the batch again later", { headers: { "Retry-After": "30" } });
    }
    const result: IngestResult = { accepted: fresh.length, duplicates: repeated + known.size, rejected };
    return json(result, 202);
  };
}

/**
 * The route. Its CORS (the `EVENTS_ALLOWED_ORIGINS` allowlist, on every answer, errors included,
 * so a browser's `fetch` can read why a batch was refused) is the route table's `cors: "events"`:
 * a refused origin gets 403 before this runs.
 *
 * @example
 * { method: "POST", path: "/v1/events", access: "public", cors: "events", handler: postEvents }
 */
export const postEvents: (request: Request, env: Env) => Promise<Response> = eventsRoute({ checkExposures: true });
