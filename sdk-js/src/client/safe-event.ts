/**
 * Makes an event safe to serialize at the moment it is queued, so that nothing a host hands the
 * SDK (a circular object, a BigInt, a function, metadata 10,000 levels deep, a 1 MB blob) can
 * throw later — in the queue's storage write, in a microtask, in a sink — and crash the host,
 * or poison the batch that carries the session's valid events. Values JSON cannot hold are
 * replaced or dropped, nesting and size stay within what the Worker takes (an event at most 32
 * container levels deep, 16 KiB as UTF-8 JSON), and every change is said in one message.
 *
 * @module
 */
import type { EdgeflagEvent } from "./events.ts";

/** The Worker's limits on one event (worker/src/routes/events.ts). */
export const MAX_EVENT_DEPTH = 32;
export const MAX_EVENT_BYTES = 16_384;

/**
 * A JSON-safe copy of `v` at most `depth` container levels deep. BigInt becomes its decimal
 * string, a circular reference the string "[Circular]", a non-finite number null; functions,
 * symbols, containers past the depth and values whose reading throws (getters, proxies) are
 * dropped (null in an array, as JSON.stringify does). Each change is pushed on `notes` with
 * its path.
 */
function copy(v: unknown, depth: number, notes: string[], path: string, seen: object[]): unknown {
  const t = typeof v;
  if (t === "bigint") return notes.push(`${path} BigInt → string`), String(v);
  if (t === "number") return isFinite(v as number) ? v : null;
  if (t !== "object") return t === "function" || t === "symbol" ? void notes.push(`${path} ${t} dropped`) : v;
  if (v === null) return v;
  if (seen.includes(v as object)) return notes.push(`${path} circular → "[Circular]"`), "[Circular]";
  if (depth < 1) return void notes.push(`${path} nested deeper than ${MAX_EVENT_DEPTH} levels: dropped`);
  seen.push(v as object);
  try {
    const j = (v as { toJSON?: unknown }).toJSON;
    if (typeof j === "function") return copy(j.call(v), depth, notes, path, seen);
    const list = Array.isArray(v);
    const out = (list ? [] : {}) as Record<string, unknown>;
    for (const [k, x] of Object.entries(v as object)) {
      const c = copy(x, depth - 1, notes, `${path}/${k}`, seen);
      if (c !== undefined || list) out[k] = c ?? null;
    }
    return out;
  } catch (e) {
    return void notes.push(`${path} dropped: reading it threw ${String((e as Error)?.message ?? e)}`);
  } finally {
    seen.pop();
  }
}

const bytes = (event: unknown) => new TextEncoder().encode(JSON.stringify(event)).length;

/**
 * The event as it can be sent, or null when it cannot be sent at all; `report` hears what was
 * changed (one message per event). Metadata that makes the event too large is dropped first.
 *
 * @example
 * const a: Record<string, unknown> = {}; a.self = a;
 * safeEvent({ type: "execution", metadata: a, ... }, (m) => console.warn(m)) // metadata.self → "[Circular]"
 */
export function safeEvent(event: EdgeflagEvent, report: (message: string) => void): EdgeflagEvent | null {
  const notes: string[] = [];
  let safe = copy(event, MAX_EVENT_DEPTH, notes, "", []) as EdgeflagEvent | undefined;
  if (safe && bytes(safe) > MAX_EVENT_BYTES && "metadata" in safe) {
    notes.push(`/metadata dropped: the event was over ${MAX_EVENT_BYTES} bytes`);
    delete safe.metadata;
  }
  if (safe && bytes(safe) > MAX_EVENT_BYTES) safe = void notes.push(`event dropped: over ${MAX_EVENT_BYTES} bytes`);
  if (notes.length > 0) report(`${event.type} event ${event.id}: ${notes.slice(0, 5).join("; ")}${notes.length > 5 ? ` (+${notes.length - 5} more)` : ""}`);
  return safe ?? null;
}
