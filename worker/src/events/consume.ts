/**
 * The `EVENTS` Queue consumer: a batch of messages → one D1 transaction (INSERT OR IGNORE by
 * event id) → the raw events as NDJSON in R2 (`EVENTS_ARCHIVE`) → ack. Any failure retries the
 * whole batch: nothing is acknowledged before it is stored, and a redelivery never double counts
 * (D1 ignores known ids; the archive key is derived from the message ids, so it is overwritten).
 *
 * @module
 */
import type { EventsMessage } from "./message.ts";
import { insertEvents } from "./store.ts";

/** Seconds before a failed batch is delivered again. */
export const RETRY_DELAY_SECONDS = 5;

async function archiveKey(batch: MessageBatch<EventsMessage>): Promise<string> {
  const ids = batch.messages.map((m) => m.id).sort().join("\n");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(ids)));
  const hex = [...digest.slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
  const first = Math.min(...batch.messages.map((m) => m.body.receivedAt));
  const day = new Date(first).toISOString().slice(0, 10);
  return `events/${day}/${first}-${hex}.ndjson`;
}

/**
 * Stores one Queue batch; acks it when D1 and R2 hold it, retries it otherwise.
 *
 * @example
 * async queue(batch, env) { await consumeEvents(batch, env) }
 */
export async function consumeEvents(batch: MessageBatch<EventsMessage>, env: Env): Promise<{ stored: number } | { retried: string }> {
  try {
    const events = batch.messages.flatMap((m) => m.body.events);
    if (events.length > 0) {
      await env.DB.batch(batch.messages.map((m) => insertEvents(env.DB, m.body.events, m.body.receivedAt)));
      const ndjson = events.map((e) => JSON.stringify(e)).join("\n") + "\n";
      await env.EVENTS_ARCHIVE.put(await archiveKey(batch), ndjson, { httpMetadata: { contentType: "application/x-ndjson" } });
    }
    batch.ackAll();
    return { stored: events.length };
  } catch (e) {
    console.error(`edgeflag: storing ${batch.messages.length} event messages failed; they will be delivered again`, e);
    batch.retryAll({ delaySeconds: RETRY_DELAY_SECONDS });
    return { retried: String(e) };
  }
}
