import { describe, expect, it } from "vitest";
import { createSseParser, readSse, sseBytes, type SseEvent } from "../../src/llm/sse.ts";

// Every line ending, a comment, multi-line data, a field without a colon, no space after the
// colon, multi-byte UTF-8 (2, 3 and 4 bytes), an empty data line, and a last event with no blank
// line (discarded).
const STREAM =
  ": a comment\r\n" +
  "event: message_start\r\ndata: {\"a\":1}\r\n\r\n" +
  "data: first line\ndata: second line\n\n" +
  "data:no-space é 中文 🎉\r\r" +
  "event: ping\rdata\r\r" +
  "id: 7\nretry: 100\ndata: [DONE]\n\n" +
  "event: ignored\n\n" +
  "data: never dispatched";
const EXPECTED: SseEvent[] = [
  { event: "message_start", data: '{"a":1}' },
  { data: "first line\nsecond line" },
  { data: "no-space é 中文 🎉" },
  { event: "ping", data: "" },
  { data: "[DONE]" },
];

const parse = (pieces: Uint8Array[]) => {
  const events: SseEvent[] = [];
  const parser = createSseParser((e) => events.push(e));
  for (const p of pieces) parser.push(p);
  parser.end();
  return events;
};

describe("SSE parser", () => {
  const bytes = new TextEncoder().encode(STREAM);

  it("parses lines, comments, multi-line data and every line ending", () => {
    expect(parse([bytes])).toEqual(EXPECTED);
  });

  it("gives the same events wherever the bytes are split once", () => {
    for (let i = 0; i <= bytes.length; i++) expect(parse([bytes.slice(0, i), bytes.slice(i)]), `split at ${i}`).toEqual(EXPECTED);
  });

  it("gives the same events fed one byte at a time", () => {
    expect(parse([...bytes].map((b) => Uint8Array.of(b)))).toEqual(EXPECTED);
  });

  it("keeps \\r\\n split across pushes as one line end (no empty line in between)", () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(parse([enc("data: a\r"), enc("\ndata: b\r"), enc("\n\r"), enc("\n")])).toEqual([{ data: "a\nb" }]);
  });

  it("reads events from a byte stream, one at a time, and sseBytes writes them", async () => {
    const whole = new TextEncoder().encode(STREAM.replace("data: never dispatched", ""));
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < whole.length; i += 7) c.enqueue(whole.slice(i, i + 7));
        c.enqueue(sseBytes('{"z":true}'));
        c.close();
      },
    });
    const reader = readSse(body);
    const seen: SseEvent[] = [];
    for (let e = await reader.next(); e; e = await reader.next()) seen.push(e);
    expect(seen).toEqual([...EXPECTED, { data: '{"z":true}' }]);
    expect(new TextDecoder().decode(sseBytes("[DONE]"))).toBe("data: [DONE]\n\n");
  });
});
