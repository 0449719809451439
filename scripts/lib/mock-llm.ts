// A local LLM upstream for tests, `npm start` and the bench: it speaks OpenAI's chat completions
// (POST …/chat/completions) and Anthropic's messages (POST …/messages), streaming and not, and
// records every request it receives, headers included.
//
// The scenario is the request's `x-mock-scenario` header or else its `model` ("name" or
// "name:arg"); any other model answers `normal`:
//   normal, cached, reasoning, tools   an answer with that scenario's usage (mock-llm-wire.ts)
//   deltas          Anthropic: pings and several message_deltas with cumulative output_tokens
//   usage-in-finish OpenAI: usage on the finish chunk (as some compatible servers do)
//   no-usage        OpenAI: no usage even when asked
//   no-finish       the stream ends ([DONE] / message_stop) without a finish reason
//   slow:N          headers after N ms          slow-event:N  headers at once, first event after N ms
//   gap:N           N ms between stream events  status:N      an error answer with status N
//   hang            never answers               cut:N         N events, then the connection drops
//   stall:N         N events, then silence      error-event   two events, then an error event
//   redirect:URL    a 307 to URL
//   long-error:N    an error answer with status N whose message is 3000 characters, a lone surrogate first
//   key-error-event:N  N events, then an error event whose message echoes the key
//   odd-finish      (not streaming) a finish_reason of 41 characters, a lone surrogate first
// and, for offline experiments (mock-llm-offline.ts): echo, noisy:S[:P], grader, flaky:N.
//
// Standalone: `node scripts/lib/mock-llm.ts --port 8790` (base URLs http://127.0.0.1:8790/v1).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { offlineState } from "./mock-llm-offline.ts";
import { anthropicMessage, anthropicStream, errorBody, openAICompletion, openAIStream } from "./mock-llm-wire.ts";

export { MOCK_ANSWER, MOCK_PIECES, OPENAI_USAGE, ANTHROPIC_USAGE } from "./mock-llm-wire.ts";

/** One request the mock received. */
export interface MockRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
  /** Once the connection closed: true when the whole answer was written, false when the client went away first. */
  completed?: boolean;
}

export interface MockLlm {
  /** http://127.0.0.1:<port>; the base URL of both wire formats is `${url}/v1`. */
  url: string;
  port: number;
  requests: MockRequest[];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** The SSE frames of a stream in the given wire format. */
function frames(wire: "openai" | "anthropic", scenario: string, model: string, body: Record<string, unknown>): string[] {
  if (wire === "anthropic") return anthropicStream(scenario, model).map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  return openAIStream(scenario, model, includeUsage).map((d) => `data: ${d}\n\n`);
}

function errorFrame(wire: "openai" | "anthropic", key?: string): string {
  if (wire === "anthropic") return `event: error\ndata: ${JSON.stringify({ type: "error", error: { type: "overloaded_error", message: key ? `Overloaded for key ${key}` : "Overloaded" } })}\n\n`;
  return `data: ${JSON.stringify({ error: { message: key ? `The server failed for key ${key}` : "The server had an error while processing your request.", type: "server_error", param: null, code: null } })}\n\n`;
}

async function answer(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>, offline: ReturnType<typeof offlineState>): Promise<void> {
  const wire = req.url?.endsWith("/messages") ? "anthropic" : "openai";
  const model = typeof body.model === "string" ? body.model : "";
  const named = (req.headers["x-mock-scenario"] as string | undefined) ?? model;
  const colon = named.indexOf(":");
  const scenario = colon < 0 ? named : named.slice(0, colon);
  const arg = colon < 0 ? "" : named.slice(colon + 1);
  const n = Number(arg) || 0;
  const key = String(req.headers["x-api-key"] ?? req.headers.authorization ?? "").replace(/^Bearer /, "");
  if (scenario === "hang") return;
  if (scenario === "slow") await sleep(n);
  if (scenario === "redirect") return void res.writeHead(307, { location: arg }).end();
  if (scenario === "status") return void res.writeHead(n, { "content-type": "application/json", "x-upstream-secret-header": "do-not-echo" }).end(JSON.stringify(errorBody(wire, n, key)));
  if (offline.failsNow(scenario, n, model)) return void res.writeHead(429, { "content-type": "application/json", "retry-after": "0" }).end(JSON.stringify(errorBody(wire, 429, key)));
  if (scenario === "long-error") return void res.writeHead(n, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `\ud800${"x".repeat(2999)}`, type: "server_error", param: null, code: null } }));
  if (body.stream !== true) {
    if (scenario === "slow-event") await sleep(n);
    const text = offline.answer(scenario, arg, model, body);
    const answer = wire === "anthropic" ? anthropicMessage(scenario, model, text) : openAICompletion(scenario, model, text);
    if (scenario === "odd-finish") (answer as { choices: Array<{ finish_reason: string }> }).choices[0]!.finish_reason = `\udc00${"f".repeat(40)}`;
    const json = JSON.stringify(answer);
    if (scenario === "cut") return void res.writeHead(200, { "content-type": "application/json" }).write(json.slice(0, 40), () => res.destroy());
    return void res.writeHead(200, { "content-type": "application/json", "x-upstream-secret-header": "do-not-echo" }).end(json);
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "x-upstream-secret-header": "do-not-echo" });
  res.flushHeaders();
  if (scenario === "slow-event") await sleep(n);
  let all = frames(wire, scenario, model, body);
  if (scenario === "cut" || scenario === "stall") all = all.slice(0, n);
  if (scenario === "error-event") all = [...all.slice(0, 3), errorFrame(wire)];
  if (scenario === "key-error-event") all = [...all.slice(0, n), errorFrame(wire, key)];
  for (const [i, frame] of all.entries()) {
    if (i > 0 && scenario === "gap") await sleep(n);
    if (res.destroyed) return;
    res.write(frame);
  }
  if (scenario === "cut") return void setTimeout(() => res.destroy(), 5);
  if (scenario !== "stall") res.end();
}

/**
 * Starts the mock on 127.0.0.1 (port 0: a free one).
 *
 * @example
 * const mock = await startMockLlm();
 * const call = { provider: "openai", model: "cached", baseUrl: `${mock.url}/v1`, apiKeySecret: "OPENAI_API_KEY" };
 */
export async function startMockLlm(options: { port?: number; host?: string; record?: boolean } = {}): Promise<MockLlm> {
  const requests: MockRequest[] = [];
  const record = options.record ?? true;
  const offline = offlineState();
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const entry: MockRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body };
    if (record) requests.push(entry);
    res.on("close", () => (entry.completed = res.writableFinished));
    if (req.method === "GET" && req.url === "/health") return void res.end("ok");
    if (req.method !== "POST" || !/\/(chat\/completions|messages)$/.test(req.url ?? "")) {
      return void res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}`, type: "invalid_request_error", param: null, code: null } }));
    }
    await answer(req, res, body, offline).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--port");
  // Standalone (npm start runs it for the demo's model calls): nothing is kept per request.
  const mock = await startMockLlm({ port: at > 0 ? Number(process.argv[at + 1]) : 8790, record: false });
  console.log(`mock LLM upstream on ${mock.url} (OpenAI: ${mock.url}/v1/chat/completions, Anthropic: ${mock.url}/v1/messages)`);
}
