/**
 * Passes an upstream's SSE answer on as OpenAI chat.completion.chunk events. Nothing reaches the
 * client before the upstream's first event, so a failure before it is still `ok: false` (and the
 * fallback can answer). After it, silence longer than `timeoutMs`, an upstream error event, or an
 * end without the end marker and a finish reason is a cut: the client gets an SSE error event and
 * no `[DONE]`, the record `truncated: true`. A client that cancels cancels the upstream too.
 *
 * @module
 */
import { fitText, MAX_ERROR_CHARS, TRUNCATED } from "./errors.ts";
import type { Recorder, Tally } from "./record.ts";
import { sseBytes, type SseEvent, type SseReader } from "./sse.ts";
import type { AttemptRecord, AttemptResult } from "./types.ts";

/** Turns upstream events into the client's data payloads (never `[DONE]`: the relay decides). */
export interface Translator {
  readonly tally: Tally;
  translate(event: SseEvent): string[];
}

/** What `relay` needs. */
export interface RelayOptions {
  reader: SseReader;
  translator: Translator;
  recorder: Recorder;
  now: () => number;
  /** When the attempt started (`now()` clock). */
  started: number;
  /** The first event must come by then. */
  deadline: number;
  /** The longest silence inside the stream. */
  timeoutMs: number;
  /** Aborts the upstream request. */
  abort: () => void;
  /** The upstream key, hidden (`***`) wherever an upstream error event repeats it. */
  secret?: string;
}

/** The upstream's error event as the client and the record get it: the key hidden, the message cut. */
function upstreamFault(o: RelayOptions): { message: string; type: string; code: string | null } | undefined {
  const e = o.translator.tally.error;
  if (e === undefined) return undefined;
  const message = o.secret ? e.message.split(o.secret).join("***") : e.message;
  return { ...e, message: fitText(message, MAX_ERROR_CHARS) };
}

const TIMED_OUT: unique symbol = Symbol("timed out");
const FAILED: unique symbol = Symbol("failed");

/** The reader's next event, or TIMED_OUT after `ms`, or FAILED when the stream errors. */
async function nextWithin(reader: SseReader, ms: number): Promise<SseEvent | undefined | typeof TIMED_OUT | typeof FAILED> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, ms))));
  try {
    return await Promise.race([reader.next().catch((): typeof FAILED => FAILED), timeout]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" };

const stopper = (o: RelayOptions) => () => {
  o.abort();
  void o.reader.cancel();
};

/**
 * Waits for the first upstream event, then answers with a stream that relays the rest.
 *
 * @example
 * const result = await relay({ reader: readSse(upstream.body!), translator, recorder, now, started, deadline, timeoutMs, abort });
 */
export async function relay(o: RelayOptions): Promise<AttemptResult> {
  const { translator: t, now } = o;
  const first = await nextWithin(o.reader, o.deadline - now());
  const payloads = first === TIMED_OUT || first === FAILED || first === undefined ? [] : t.translate(first);
  if (first !== TIMED_OUT && first !== FAILED && first !== undefined && !t.tally.error) {
    const { body, record } = relayRest(o, payloads);
    return { ok: true, response: new Response(body, { status: 200, headers: SSE_HEADERS }), record };
  }
  stopper(o)();
  const fault = upstreamFault(o);
  const error = fault
    ? { ...fault, message: `upstream error before the first token: ${fault.message}` }
    : first === TIMED_OUT
      ? { message: `the upstream sent no event within ${o.timeoutMs} ms`, type: "timeout", code: "upstream_timeout" }
      : { message: "the upstream stream ended before its first event", type: "upstream_error", code: "upstream_empty_stream" };
  return o.recorder.fail(first === TIMED_OUT ? 0 : 200, first === TIMED_OUT ? 504 : 502, true, error, now() - o.started);
}

/** The client's stream after the first event (whose payloads are `firstPayloads`), and its record. */
function relayRest(o: RelayOptions, firstPayloads: string[]): { body: ReadableStream<Uint8Array>; record: Promise<AttemptRecord> } {
  const { reader, translator: t, now, started } = o;
  const stop = stopper(o);
  const pending: string[] = [];
  let ttftMs: number | undefined;
  const take = (payloads: string[]) => {
    pending.push(...payloads);
    if (ttftMs === undefined && t.tally.outputChars > 0) ttftMs = now() - started;
  };
  take(firstPayloads);
  let settle!: (record: AttemptRecord) => void;
  const record = new Promise<AttemptRecord>((resolve) => (settle = resolve));
  let finished = false;
  const finish = (complete: boolean, error?: string) => {
    finished = true;
    stop();
    settle(o.recorder.finish(t.tally, { complete, latencyMs: now() - started, ttftMs, error }));
  };
  const end = (controller: ReadableStreamDefaultController<Uint8Array>, complete: boolean, error?: string) => {
    for (const p of pending.splice(0)) controller.enqueue(sseBytes(p));
    controller.enqueue(sseBytes(complete ? "[DONE]" : JSON.stringify({ error: upstreamFault(o) ?? TRUNCATED })));
    controller.close();
    finish(complete, error);
  };
  const pull = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    while (pending.length === 0) {
      if (t.tally.done || t.tally.error) {
        const complete = !t.tally.error && t.tally.finishReason !== undefined;
        return end(controller, complete, complete ? undefined : (upstreamFault(o)?.message ?? "the upstream ended without a finish reason"));
      }
      const next = await nextWithin(reader, o.timeoutMs);
      if (finished) return;
      if (next === TIMED_OUT) return end(controller, false, `no upstream event for ${o.timeoutMs} ms`);
      if (next === FAILED || next === undefined) return end(controller, false, TRUNCATED.message);
      take(t.translate(next));
    }
    for (const p of pending.splice(0)) controller.enqueue(sseBytes(p));
  };
  const cancel = () => void (finished || finish(false, "cancelled by the client"));
  return { body: new ReadableStream<Uint8Array>({ pull, cancel }, { highWaterMark: 0 }), record };
}
