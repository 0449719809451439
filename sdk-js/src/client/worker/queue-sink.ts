/**
 * An EventSink onto a Cloudflare Queue: each batch goes to the Queue in the very message format the
 * Worker's `POST /v1/events` writes (queue-message.ts), so the same consumer stores it in D1 and
 * R2. Events are checked against the event schema first, as the route checks them, so nothing the
 * route would refuse reaches the consumer.
 *
 * @module
 */
import { validateEvent } from "@edgeflag/config-schema/events";
import type { EventSink } from "../event-sink.ts";
import { encodeMessage, MAX_MESSAGE_BYTES, packMessages, type SizedEvent } from "./queue-message.ts";

/** The part of a Queue producer binding the sink uses (no workers-types needed). */
export interface QueueLike {
  send(body: string, options: { contentType: "text" }): Promise<unknown>;
}

const encoder = new TextEncoder();

/**
 * A sink that sends each batch to `queue` as text messages (`<receivedAt> <count>` then NDJSON).
 * A refused event is reported (EVENTS_REJECTED) and dropped, as the route's 422 drops it; a Queue
 * that throws makes the batch wait for a retry (event ids make the resend count once).
 *
 * @example
 * const sink = queueEventSink(env.EVENTS);
 */
export function queueEventSink(queue: QueueLike, now: () => number = Date.now): EventSink {
  return {
    async send(batch, _resent, report) {
      const sized: SizedEvent[] = [];
      for (const event of batch) {
        const v = validateEvent(event, { now: now() });
        const json = JSON.stringify(event);
        const size = encoder.encode(json).byteLength;
        if (!v.valid) report({ code: "EVENTS_REJECTED", message: `${event.type} event ${event.id} refused: ${v.message}` });
        else if (size > MAX_MESSAGE_BYTES) report({ code: "EVENTS_DROPPED", message: `${event.type} event ${event.id} dropped: ${size} bytes is over a Queue message's ${MAX_MESSAGE_BYTES}` });
        else sized.push({ id: event.id, json, size });
      }
      try {
        for (const message of packMessages(sized, now())) await queue.send(encodeMessage(message), { contentType: "text" });
        return "sent";
      } catch {
        return 0; // the Queue refused: the whole batch again later (the consumer ignores ids it stored)
      }
    },
  };
}
