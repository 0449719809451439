/**
 * Server-sent events, both ways: a parser that follows the WHATWG event-stream rules (lines end in
 * `\r\n`, `\n` or `\r`; several `data:` lines join with `\n`; `:` starts a comment; one space after
 * the colon is dropped; an event is dispatched at an empty line and a last event without one is
 * discarded) and is indifferent to where the bytes were split, and the encoder of what we send.
 *
 * @module
 */

/** One dispatched event: its `event:` name (absent means "message") and its data. */
export interface SseEvent {
  event?: string;
  data: string;
}

/** Feeds bytes in, calls `onEvent` for each complete event. */
export interface SseParser {
  push(bytes: Uint8Array): void;
  /** The stream ended: a trailing event without its empty line is discarded (as browsers do). */
  end(): void;
}

const LINE_END = /\r\n|\r|\n/g;

/**
 * A push parser: bytes may be split anywhere, even inside a UTF-8 sequence or between `\r` and `\n`.
 *
 * @example
 * const events: SseEvent[] = [];
 * const parser = createSseParser((e) => events.push(e));
 * parser.push(new TextEncoder().encode("event: ping\ndata: {}\n\n"));
 * // events = [{ event: "ping", data: "{}" }]
 */
export function createSseParser(onEvent: (event: SseEvent) => void): SseParser {
  const decoder = new TextDecoder();
  let buffer = "";
  let skipLf = false;
  let data: string[] = [];
  let name: string | undefined;
  const line = (text: string) => {
    if (text === "") {
      if (data.length > 0) onEvent(name === undefined ? { data: data.join("\n") } : { event: name, data: data.join("\n") });
      data = [];
      name = undefined;
      return;
    }
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") name = value;
  };
  const feed = (text: string) => {
    if (text === "") return;
    if (skipLf && text.startsWith("\n")) text = text.slice(1);
    skipLf = false;
    buffer += text;
    let start = 0;
    LINE_END.lastIndex = 0;
    for (let m = LINE_END.exec(buffer); m !== null; m = LINE_END.exec(buffer)) {
      line(buffer.slice(start, m.index));
      start = m.index + m[0].length;
    }
    // A `\r` that ends this piece may be the first half of `\r\n`: the line is over, and a `\n`
    // opening the next piece belongs to it.
    skipLf = buffer.endsWith("\r");
    buffer = buffer.slice(start);
  };
  return {
    push: (bytes) => feed(decoder.decode(bytes, { stream: true })),
    end: () => {
      feed(decoder.decode());
      buffer = "";
      data = [];
    },
  };
}

/** Pulls events from a byte stream, one at a time. */
export interface SseReader {
  /** The next event, or undefined at the end of the stream. Rejects when the stream fails. */
  next(): Promise<SseEvent | undefined>;
  /** Stops reading and cancels the underlying stream. */
  cancel(): Promise<void>;
}

/**
 * Reads a `text/event-stream` body event by event.
 *
 * @example
 * const reader = readSse(response.body!);
 * for (let e = await reader.next(); e; e = await reader.next()) console.log(e.data);
 */
export function readSse(body: ReadableStream<Uint8Array>): SseReader {
  const queue: SseEvent[] = [];
  const parser = createSseParser((e) => queue.push(e));
  const reader = body.getReader();
  let ended = false;
  return {
    async next() {
      while (queue.length === 0 && !ended) {
        const { done, value } = await reader.read();
        if (done) {
          ended = true;
          parser.end();
        } else parser.push(value);
      }
      return queue.shift();
    },
    async cancel() {
      ended = true;
      await reader.cancel().catch(() => undefined);
    },
  };
}

const encoder = new TextEncoder();

/**
 * One `data:` event as bytes (the payloads we send are single-line JSON or `[DONE]`).
 *
 * @example
 * sseBytes("[DONE]"); // "data: [DONE]\n\n"
 */
export function sseBytes(data: string): Uint8Array {
  return encoder.encode(`data: ${data}\n\n`);
}
