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
import { messageOf, utf8Length } from "../core/values.ts";
import type { EdgeflagEvent } from "./events.ts";

/** The Worker's limits on one event (worker/src/routes/events.ts). */
export const MAX_EVENT_DEPTH = 32;
export const MAX_EVENT_BYTES = 16_384;

/**
 * The event as it can be sent, or null when it cannot be sent at all; `report` hears what was
 * changed (one message per event, each change as its JSON pointer and what was there). BigInt
 * becomes its decimal string, a circular reference the string "[Circular]"; functions, symbols
 * and containers past the depth are dropped (null in an array, as JSON.stringify does).
 * Metadata that makes the event too large is dropped first, then the event; so is an event
 * whose reading throws (a getter, a proxy).
 *
 * @example
 * const a: Record<string, unknown> = {}; a.self = a;
 * safeEvent({ type: "execution", metadata: a, ... }, (m) => console.warn(m)) // "execution event …: /metadata/self (circular)"
 */
export function safeEvent(event: EdgeflagEvent, report: (message: string) => void): EdgeflagEvent | null {
  const notes: string[] = [];
  /** The containers above the value being written, and their keys: JSON.stringify walks depth first. */
  const stack: unknown[] = [];
  const keys: string[] = [];
  let safe: (EdgeflagEvent & { metadata?: unknown }) | null = null;
  try {
    let json = JSON.stringify(event, function (this: unknown, key, v: unknown) {
      // `this` holds v: the containers above v are the stack up to it (none at the root).
      keys.length = stack.length = stack.indexOf(this) + 1;
      const t = typeof v;
      const note = (what: string, to?: unknown) => (notes.push(`${keys.join("/")}/${key} (${what})`), to);
      if (t === "bigint") return note(t, String(v));
      if (t === "function" || t === "symbol") return note(t);
      if (t !== "object" || !v) return v;
      if (stack.includes(v)) return note("circular", "[Circular]");
      if (stack.length >= MAX_EVENT_DEPTH) return note("too deep");
      stack.push(v);
      keys.push(key);
      return v;
    });
    safe = JSON.parse(json);
    if (utf8Length(json) > MAX_EVENT_BYTES && safe!.metadata) {
      notes.push(`/metadata (over ${MAX_EVENT_BYTES} bytes)`);
      delete safe!.metadata;
      json = JSON.stringify(safe);
    }
    if (utf8Length(json) > MAX_EVENT_BYTES) throw `over ${MAX_EVENT_BYTES} bytes`;
  } catch (e) {
    notes.push(`the event dropped: ${messageOf(e)}`);
    safe = null;
  }
  if (notes[0]) report(`${event.type} event ${event.id}: ${notes.slice(0, 5).join(", ")}${notes[5] ? ` +${notes.length - 5}` : ""}`);
  return safe;
}
