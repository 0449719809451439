/**
 * What travels on the `EVENTS` Queue: accepted events with the time the Worker received them.
 * Shared by the producer (POST /v1/events) and the consumer.
 *
 * @module
 */

/** One Queue message. */
export interface EventsMessage {
  /** ms since the epoch, the Worker's clock. */
  receivedAt: number;
  /** Validated events, as the client sent them. */
  events: Record<string, unknown>[];
}

/** Largest message body (a Queue message holds 128 KB). */
export const MAX_MESSAGE_BYTES = 100_000;

/** An event with its size as JSON (measured once, when it was checked). */
export interface SizedEvent {
  event: Record<string, unknown>;
  size: number;
}

/**
 * Events packed into messages of at most MAX_MESSAGE_BYTES each.
 *
 * @example
 * for (const body of packMessages(events, Date.now())) await env.EVENTS.send(body);
 */
export function packMessages(events: readonly SizedEvent[], receivedAt: number): EventsMessage[] {
  const out: EventsMessage[] = [];
  let current: EventsMessage = { receivedAt, events: [] };
  let bytes = 0;
  for (const { event, size } of events) {
    if (current.events.length > 0 && bytes + size > MAX_MESSAGE_BYTES) {
      out.push(current);
      current = { receivedAt, events: [] };
      bytes = 0;
    }
    current.events.push(event);
    bytes += size;
  }
  if (current.events.length > 0) out.push(current);
  return out;
}
