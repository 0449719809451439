/**
 * Reading a batch of events from a request body: a JSON array, `{events: [...]}`, or NDJSON (one
 * event per line), as `application/json`, `text/plain` (what `sendBeacon` sends) or
 * `application/x-ndjson`. A line of NDJSON that is not JSON is refused on its own; the other lines
 * are kept.
 *
 * @module
 */
import { readText } from "./body.ts";
import { HttpError } from "./http.ts";

/** Largest events body: a Queue batch holds 256 KB. */
export const MAX_EVENTS_BODY_BYTES = 256 * 1024;
/** Most events in one batch. */
export const MAX_EVENTS_PER_BATCH = 500;

const TYPES = ["application/json", "text/plain", "application/x-ndjson"];

/** One item of a batch: a parsed value, or why its NDJSON line could not be parsed. */
export type BatchItem = { value: unknown } | { parseError: string };

function parseLines(text: string): BatchItem[] {
  return text.split("\n").filter((line) => line.trim() !== "").map((line) => {
    try {
      return { value: JSON.parse(line) };
    } catch (e) {
      return { parseError: `the line is not valid JSON: ${(e as Error).message}` };
    }
  });
}

function fromJson(value: unknown): BatchItem[] {
  if (Array.isArray(value)) return value.map((v) => ({ value: v }));
  if (typeof value === "object" && value !== null && "events" in value) {
    const events = (value as { events: unknown }).events;
    if (!Array.isArray(events)) throw new HttpError(400, "BODY_INVALID", "events must be an array", { pointer: "/events" });
    return events.map((v) => ({ value: v }));
  }
  // A single event on its own is a batch of one.
  return [{ value }];
}

/**
 * The batch in a request, item by item. 415 for another content type, 413 when too large,
 * 400 when the body is empty or not JSON at all.
 *
 * @example
 * const items = await readEventBatch(request);
 */
export async function readEventBatch(request: Request): Promise<BatchItem[]> {
  const type = (request.headers.get("Content-Type") ?? "text/plain").split(";")[0]!.trim().toLowerCase();
  if (!TYPES.includes(type)) throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", `send events as ${TYPES.join(", ")} (got ${type})`);
  // A Queue batch holds 256 KB: a larger body is refused whole (the SDK halves its batch on 413).
  const text = (await readText(request, MAX_EVENTS_BODY_BYTES)).trim();
  if (text === "") throw new HttpError(400, "EMPTY_BODY", "the body holds no events");
  let items: BatchItem[];
  if (type === "application/x-ndjson") items = parseLines(text);
  else {
    try {
      items = fromJson(JSON.parse(text));
    } catch (e) {
      if (e instanceof HttpError) throw e;
      // Not one JSON document: NDJSON sent as text/plain or application/json.
      if (!text.includes("\n")) throw new HttpError(400, "BAD_JSON", `the body is not valid JSON or NDJSON: ${(e as Error).message}`);
      items = parseLines(text);
    }
  }
  if (items.length > 0 && items.every((i) => "parseError" in i)) throw new HttpError(400, "BAD_JSON", "no line of the body is valid JSON");
  if (items.length > MAX_EVENTS_PER_BATCH) {
    throw new HttpError(413, "TOO_MANY_EVENTS", `a batch holds at most ${MAX_EVENTS_PER_BATCH} events (got ${items.length})`);
  }
  return items;
}
