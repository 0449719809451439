// Shared by the provider adapter tests: a call context with one key, and readers of answers.
import { expect } from "vitest";
import { createSseParser, type SseEvent } from "../../src/llm/sse.ts";
import type { AttemptRecord, AttemptResult, CallContext, ChatRequest, ModelCall } from "../../src/llm/types.ts";
import { callModel } from "../../src/llm/call-model.ts";

export const KEY = "sk-test-secret-0123456789";

/** A context whose secret TEST_KEY holds KEY and may go to `origins`; `fetch` is recorded. */
export function context(origins: string[], secrets: Record<string, string> = { TEST_KEY: KEY }): CallContext & { fetched: string[] } {
  const fetched: string[] = [];
  return {
    fetched,
    fetch: (input, init) => {
      fetched.push(String(input));
      return fetch(input, init);
    },
    secret: (name) => secrets[name],
    allowedOrigins: (name) => (name in secrets ? origins : []),
    now: () => performance.now(),
  };
}

/** The data payloads of an SSE body, parsed with our parser. */
export async function ssePayloads(response: Response): Promise<string[]> {
  const events: SseEvent[] = [];
  const parser = createSseParser((e) => events.push(e));
  for await (const chunk of response.body!) parser.push(chunk);
  parser.end();
  return events.map((e) => e.data);
}

/** Calls, expects ok, reads the whole answer; returns the payloads (or the JSON) and the record. */
export async function callOk(call: ModelCall, request: ChatRequest, ctx: CallContext): Promise<{ payloads: string[]; json?: Record<string, unknown>; record: AttemptRecord; response: Response }> {
  const result = await callModel(call, request, ctx, { variant: "v" });
  if (!result.ok) expect.unreachable(`not ok: ${JSON.stringify(result)}`);
  const ok = result as Extract<AttemptResult, { ok: true }>;
  if (request.stream) return { payloads: await ssePayloads(ok.response), record: await ok.record, response: ok.response };
  return { payloads: [], json: (await ok.response.json()) as Record<string, unknown>, record: await ok.record, response: ok.response };
}

/** The text content of chunk payloads. */
export const contentOf = (payloads: string[]) =>
  payloads
    .filter((p) => p !== "[DONE]")
    .map((p) => (JSON.parse(p) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content ?? "")
    .join("");
