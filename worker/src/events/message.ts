/**
 * What travels on the `EVENTS` Queue. The format itself (header line, NDJSON, packing) is written
 * once, in the SDK (`@edgeflag/sdk/worker`), because the SDK's Worker shell writes it too; here is
 * only what the consumer alone needs.
 *
 * @module
 */
import type { EventsMessage } from "@edgeflag/sdk/worker";

export { decodeMessage, encodeMessage, MAX_MESSAGE_BYTES, messageOf, packMessages, type EventsMessage, type EventsMessageBody, type SizedEvent } from "@edgeflag/sdk/worker";

/**
 * The message's events as one JSON array (JSON.stringify escapes newlines inside strings, so every
 * line break separates two events).
 *
 * @example
 * db.prepare(sql).bind(jsonArrayOf(message));
 */
export function jsonArrayOf(message: EventsMessage): string {
  return `[${message.ndjson.trimEnd().replaceAll("\n", ",")}]`;
}
