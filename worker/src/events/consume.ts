/**
 * The `EVENTS` Queue consumer: a batch of messages → one D1 transaction (INSERT OR IGNORE by
 * event id) → the raw events as gzipped NDJSON in R2 (`EVENTS_ARCHIVE`,
 * `events/<day>/<ms>-<id>.ndjson.gz`) → ack. Nothing is acknowledged
 * before it is stored, and a redelivery never double counts in D1 (known ids are ignored).
 * When the batch fails, each message is tried on its own, so one that D1 refuses cannot hold
 * back (or send to the dead-letter queue) the events of every other client in the batch; only
 * the messages that failed are retried, with a backoff that grows with their attempts.
 *
 * The archive holds every stored event at least once: a batch retried in another grouping is
 * archived again under another key, so readers of `events/` deduplicate by event `id`.
 * Messages that exhausted their retries reach the dead-letter queue, whose consumer
 * ({@link consumeDeadLetters}) keeps them in R2 under `dead-letter/` for a replay: nothing the
 * Worker answered 202 for is dropped.
 *
 * @module
 */
import { decodeMessage, jsonArrayOf, type EventsMessage, type EventsMessageBody } from "./message.ts";
import { insertEvents } from "./store.ts";

/** The dead-letter queue of wrangler.toml. */
export const DEAD_LETTER_QUEUE = "edgeflag-events-dlq";

/**
 * Seconds before a failed message is delivered again: 5 s doubling per attempt, at most an hour
 * (with max_retries = 20 a D1 outage of about 12 hours loses nothing).
 */
export function retryDelay(attempts: number): number {
  return Math.min(3600, 5 * 2 ** Math.max(0, attempts - 1));
}

async function digest(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...bytes.slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A delivered message with its body decoded (once). */
interface Delivered {
  message: Message<EventsMessageBody>;
  body: EventsMessage;
}

const decoded = (batch: MessageBatch<EventsMessageBody>): Delivered[] => batch.messages.map((message) => ({ message, body: decodeMessage(message.body) }));

async function archiveKey(prefix: string, delivered: readonly Delivered[], extension: ".ndjson" | ".ndjson.gz"): Promise<string> {
  const first = Math.min(...delivered.map((d) => d.body.receivedAt));
  const day = new Date(first).toISOString().slice(0, 10);
  return `${prefix}/${day}/${first}-${await digest(delivered.map((d) => d.message.id).sort().join("\n"))}${extension}`;
}

/**
 * gzip, natively (CompressionStream): the archive is ~10× smaller, which is R2's storage bill and,
 * on a dev machine, most of the archive's cost; warehouse loaders read .ndjson.gz as they are.
 */
async function gzip(text: string): Promise<ArrayBuffer> {
  return new Response(new Response(text).body!.pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
}

const received = ({ body }: Delivered) => ({ jsonArray: jsonArrayOf(body), receivedAt: body.receivedAt });

/** The messages D1 took: all in one statement, or else one by one. */
async function storeInD1(delivered: readonly Delivered[], env: Env): Promise<Delivered[]> {
  try {
    await insertEvents(env.DB, delivered.map(received)).run();
    return [...delivered];
  } catch (e) {
    if (delivered.length === 1) throw e;
    console.error(`edgeflag: storing ${delivered.length} event messages together failed; trying them one by one`, e);
  }
  const stored: Delivered[] = [];
  for (const d of delivered) {
    const m = d.message;
    try {
      await insertEvents(env.DB, [received(d)]).run();
      stored.push(d);
    } catch (e) {
      console.error(`edgeflag: event message ${m.id} (attempt ${m.attempts}) failed; it will be delivered again`, e);
      m.retry({ delaySeconds: retryDelay(m.attempts) });
    }
  }
  return stored;
}

/**
 * Stores one Queue batch; acks each message once D1 and R2 hold it, retries the others.
 *
 * @example
 * async queue(batch, env) { await consumeEvents(batch, env) }
 */
export async function consumeEvents(batch: MessageBatch<EventsMessageBody>, env: Env): Promise<{ stored: number; retried: number }> {
  try {
    const stored = await storeInD1(decoded(batch), env);
    const count = stored.reduce((n, d) => n + d.body.count, 0);
    if (count > 0) {
      const ndjson = stored.map((d) => d.body.ndjson).join("");
      await env.EVENTS_ARCHIVE.put(await archiveKey("events", stored, ".ndjson.gz"), await gzip(ndjson), { httpMetadata: { contentType: "application/x-ndjson", contentEncoding: "gzip" } });
    }
    if (stored.length === batch.messages.length) batch.ackAll();
    else for (const d of stored) d.message.ack();
    return { stored: count, retried: batch.messages.length - stored.length };
  } catch (e) {
    console.error(`edgeflag: storing ${batch.messages.length} event messages failed; they will be delivered again`, e);
    // D1 or R2 failed for the whole batch: nothing was acked; every message comes again (D1
    // ignores the ids it holds).
    batch.retryAll({ delaySeconds: retryDelay(Math.max(...batch.messages.map((m) => m.attempts))) });
    return { stored: 0, retried: batch.messages.length };
  }
}

/**
 * The dead-letter queue's consumer: messages that exhausted their retries are kept in R2 under
 * `dead-letter/<day>/…ndjson` (one JSON message per line, with its receivedAt) for a replay.
 *
 * @example
 * if (batch.queue === DEAD_LETTER_QUEUE) await consumeDeadLetters(batch, env);
 */
export async function consumeDeadLetters(batch: MessageBatch<EventsMessageBody>, env: Env): Promise<void> {
  const delivered = decoded(batch);
  const lines = delivered.map(({ message: m, body }) => JSON.stringify({ id: m.id, attempts: m.attempts, receivedAt: body.receivedAt, events: JSON.parse(jsonArrayOf(body)) })).join("\n") + "\n";
  await env.EVENTS_ARCHIVE.put(await archiveKey("dead-letter", delivered, ".ndjson"), lines, { httpMetadata: { contentType: "application/x-ndjson" } });
  console.error(`edgeflag: ${batch.messages.length} event messages exhausted their retries; kept in R2 under dead-letter/ for a replay`);
  batch.ackAll();
}
