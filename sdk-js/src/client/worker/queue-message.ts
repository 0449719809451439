/**
 * What travels on the `EVENTS` Queue: accepted events as NDJSON (each serialized once, by the
 * route that checked it), with the time the Worker received them. The consumer hands the lines to
 * D1 as one JSON array and to R2 as they are, without parsing or serializing events again.
 * Shared by every producer (the Worker's POST /v1/events, the SDK's Worker shell writing straight
 * to the Queue) and the consumer, which imports it from `@edgeflag/sdk/worker`.
 *
 * On the Queue a message is text (`contentType: "text"`): a header line `<receivedAt> <count>`,
 * then the NDJSON. As a JSON message body the NDJSON would be escaped quote by quote on send and
 * unescaped on delivery, for nothing.
 *
 * @module
 */

/** One Queue message. */
export interface EventsMessage {
  /** ms since the epoch, the Worker's clock. */
  receivedAt: number;
  /** How many events `ndjson` holds. */
  count: number;
  /** Validated events as the client sent them (ids lowercased), one JSON object per line. */
  ndjson: string;
}

/** A message body as it travels: text, or (sent before bodies were text) an EventsMessage object. */
export type EventsMessageBody = string | EventsMessage;

/**
 * The text body of a message.
 *
 * @example
 * await env.EVENTS.send(encodeMessage(message), { contentType: "text" });
 */
export function encodeMessage(message: EventsMessage): string {
  return `${message.receivedAt} ${message.count}\n${message.ndjson}`;
}

/**
 * A message from its body. Object bodies are messages sent as JSON by an earlier version of the
 * Worker, still on the Queue (or retried) across a deploy.
 *
 * @example
 * const { receivedAt, count, ndjson } = decodeMessage(m.body);
 */
export function decodeMessage(body: EventsMessageBody): EventsMessage {
  if (typeof body !== "string") return body;
  const end = body.indexOf("\n");
  const [receivedAt, count] = body.slice(0, end).split(" ").map(Number);
  return { receivedAt: receivedAt!, count: count!, ndjson: body.slice(end + 1) };
}

/** Largest message body (a Queue message holds 128 KB). */
export const MAX_MESSAGE_BYTES = 100_000;

/** An event serialized once, with its size in UTF-8 bytes. */
export interface SizedEvent {
  id: string;
  json: string;
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
  let lines: string[] = [];
  let bytes = 0;
  const flush = () => {
    if (lines.length > 0) out.push({ receivedAt, count: lines.length, ndjson: lines.join("\n") + "\n" });
    lines = [];
    bytes = 0;
  };
  for (const { json, size } of events) {
    if (lines.length > 0 && bytes + size + 1 > MAX_MESSAGE_BYTES) flush();
    lines.push(json);
    bytes += size + 1;
  }
  flush();
  return out;
}

/**
 * A message holding these events (tests and replays).
 *
 * @example
 * await env.EVENTS.send(messageOf(events, Date.now()));
 */
export function messageOf(events: readonly Record<string, unknown>[], receivedAt: number): EventsMessage {
  return { receivedAt, count: events.length, ndjson: events.map((e) => JSON.stringify(e) + "\n").join("") };
}
