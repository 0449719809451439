// The model router end to end: `wrangler dev` runs the Worker (real KV, D1, Queue, rate limits),
// its upstreams are the Node mock LLM (scripts/lib/mock-llm.ts, OpenAI and Anthropic wire
// formats), and the caller is the official `openai` npm client with baseURL <worker>/v1 and a
// router key made by `edgeflag router-keys create`. A subject keeps its variant across 100 calls
// and agrees with the SDK's evaluation; the split over 600 subjects follows the weights
// (chi-square); the fixed arm; fallback; streams with and without usage; a cut stream throws in
// the client; executions land in D1 with exact usage and cost; the keys reach only the allowed
// origin and never the client.
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { FlagConfig } from "@edgeflag/config-schema";
import { compileConfig, evaluate } from "@edgeflag/sdk/core";
import { edgeflag } from "../../cli/test/helpers.ts";
import { startDevServer, type DevServer } from "../../scripts/lib/dev-server.ts";
import { MOCK_ANSWER, OPENAI_USAGE, ANTHROPIC_USAGE, startMockLlm, type MockLlm } from "../../scripts/lib/mock-llm.ts";

const ENV = "router-e2e";
const BOOTSTRAP = "router-e2e-bootstrap";
const OPENAI_KEY = "sk-e2e-openai-0123456789";
const ANTHROPIC_KEY = "sk-ant-e2e-0123456789";
const OPENAI_PRICES = { input: 2.5, cachedInput: 1.25, output: 10 };
const ANTHROPIC_PRICES = { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 };
/** The chi-square critical value for 2 degrees of freedom at α = 0.001. */
const CHI2_CRITICAL_2DF = 13.816;

let mock: MockLlm;
let server: DevServer;
let dir = "";
let client: OpenAI;
let config: FlagConfig;
/** Every raw answer the client got (headers and text), to search for secrets. */
const seen: string[] = [];

function makeConfig(base: string): FlagConfig {
  const openai = (model: string, extra = {}) => ({ value: { provider: "openai", model, baseUrl: `${base}/v1`, apiKeySecret: "OPENAI_API_KEY", prices: OPENAI_PRICES, ...extra } });
  return {
    flags: {
      "chat-model": {
        enabled: true,
        variants: {
          "gpt-4o": openai("cached"),
          claude: { value: { provider: "anthropic", model: "cached", baseUrl: `${base}/v1`, apiKeySecret: "ANTHROPIC_API_KEY", prices: ANTHROPIC_PRICES } },
          "fixed-42": { value: { provider: "fixed", answer: "42" } },
        },
        defaultVariant: "gpt-4o",
        allocations: [{ key: "experiment", splits: [{ variant: "gpt-4o", weight: 2 }, { variant: "claude", weight: 1 }, { variant: "fixed-42", weight: 1 }], log: true }],
      },
      "fallback-model": {
        enabled: true,
        variants: { primary: openai("status:500", { fallback: "backup" }), backup: openai("normal") },
        defaultVariant: "primary",
        allocations: [{ key: "all", splits: [{ variant: "primary", weight: 1 }], log: true }],
      },
      "cut-model": {
        enabled: true,
        variants: { cut: openai("cut:3") },
        defaultVariant: "cut",
        allocations: [{ key: "all", splits: [{ variant: "cut", weight: 1 }], log: true }],
      },
    },
  };
}

/** A call through the openai client, its headers kept. */
async function ask(model: string, user: string) {
  const { data, response } = await client.chat.completions.create({ model, user, messages: [{ role: "user", content: "What is the answer?" }] }).withResponse();
  seen.push(JSON.stringify([...response.headers]) + JSON.stringify(data));
  return { data, headers: response.headers };
}

/** Rows of D1 (the dev server's local state), through wrangler; tried 3 times, as the running Worker may hold the database busy. */
function d1<T>(sql: string): T[] {
  let stderr = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = spawnSync("node_modules/.bin/wrangler", ["d1", "execute", "DB", "--local", "--persist-to", join(dir, "state"), "--command", sql, "--json"], { encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" } });
    if (r.status === 0) return (JSON.parse(r.stdout) as Array<{ results: T[] }>)[0]!.results;
    stderr = r.stderr;
  }
  throw new Error(stderr);
}

async function rowsUntil<T>(sql: string, count: number): Promise<T[]> {
  const until = Date.now() + 20_000;
  for (;;) {
    const rows = d1<T>(sql);
    if (rows.length >= count || Date.now() > until) return rows;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * POST /v1/admin/configs/ENV. After a quiet while, workerd may have closed the pooled keep-alive
 * socket just as fetch reuses it ("other side closed"): that one case is sent again.
 */
async function publishConfig(body: FlagConfig): Promise<Response> {
  const send = () => fetch(`${server.url}/v1/admin/configs/${ENV}`, { method: "POST", headers: { authorization: `Bearer ${BOOTSTRAP}`, "content-type": "application/json" }, body: JSON.stringify({ config: body }) });
  return send().catch((e: unknown) => {
    if ((e as { cause?: { code?: string } }).cause?.code !== "UND_ERR_SOCKET") throw e;
    return send();
  });
}

beforeAll(async () => {
  mock = await startMockLlm();
  dir = await mkdtemp(join(tmpdir(), "edgeflag-router-e2e-"));
  expect((await edgeflag(["keys", "generate", "--out", join(dir, "keys")])).code).toBe(0);
  const key = JSON.stringify(JSON.parse(await readFile(join(dir, "keys", "private.jwk"), "utf8")));
  const jwks = JSON.stringify(JSON.parse(await readFile(join(dir, "keys", "jwks.json"), "utf8")));
  const upstreams = JSON.stringify({ OPENAI_API_KEY: [mock.url], ANTHROPIC_API_KEY: [mock.url] });
  await writeFile(join(dir, "dev.vars"), `ADMIN_TOKEN='${BOOTSTRAP}'\nSIGNING_KEY='${key}'\nPUBLIC_JWKS='${jwks}'\nOPENAI_API_KEY='${OPENAI_KEY}'\nANTHROPIC_API_KEY='${ANTHROPIC_KEY}'\nROUTER_UPSTREAMS='${upstreams}'\n`);
  server = await startDevServer({ persistTo: join(dir, "state"), envFile: join(dir, "dev.vars") });
  config = makeConfig(mock.url);
  const published = await fetch(`${server.url}/v1/admin/configs/${ENV}`, { method: "POST", headers: { authorization: `Bearer ${BOOTSTRAP}`, "content-type": "application/json" }, body: JSON.stringify({ config }) });
  expect(published.status).toBe(201);
  const made = await edgeflag(["router-keys", "create", "--name", "e2e-app", "--env", ENV, "--url", server.url, "--token", BOOTSTRAP, "--json"]);
  expect(made.code).toBe(0);
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: (JSON.parse(made.stdout) as { key: string }).key, maxRetries: 0 });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await mock?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the official openai client against the router", () => {
  test("GET /v1/models lists the routable flags", async () => {
    const models = [];
    for await (const m of client.models.list()) models.push(m.id);
    expect(models.sort()).toEqual(["chat-model", "cut-model", "fallback-model"]);
  });

  test("a subject stays on one variant across 100 calls, the one the SDK's evaluation gives it", async () => {
    const expected = evaluate(compileConfig(config), "chat-model", { subject: "sticky-user" }).variant;
    const variants = new Set<string | null>();
    const ids = new Set<string | null>();
    for (let i = 0; i < 100; i++) {
      const { headers } = await ask("chat-model", "sticky-user");
      variants.add(headers.get("x-edgeflag-variant"));
      ids.add(headers.get("x-edgeflag-assignment-id"));
    }
    expect([...variants]).toEqual([expected]);
    expect(ids.size).toBe(1);
  }, 120_000);

  test("600 subjects: each gets the SDK's variant, and the split follows the weights 2:1:1 (chi-square, 2 df, α = 0.001)", async () => {
    const compiled = compileConfig(config);
    const counts: Record<string, number> = { "gpt-4o": 0, claude: 0, "fixed-42": 0 };
    const subjects = Array.from({ length: 600 }, (_, i) => `split-subject-${i}`);
    for (let i = 0; i < subjects.length; i += 8) {
      await Promise.all(
        subjects.slice(i, i + 8).map(async (subject) => {
          const { headers, data } = await ask("chat-model", subject);
          const variant = headers.get("x-edgeflag-variant")!;
          expect(variant, subject).toBe(evaluate(compiled, "chat-model", { subject }).variant);
          if (variant === "fixed-42") expect(data.choices[0]!.message.content).toBe("42");
          else expect(data.choices[0]!.message.content).toBe(MOCK_ANSWER);
          counts[variant]!++;
        }),
      );
    }
    const expected = { "gpt-4o": 300, claude: 150, "fixed-42": 150 };
    const chi2 = Object.entries(expected).reduce((sum, [v, e]) => sum + (counts[v]! - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(CHI2_CRITICAL_2DF);
  }, 300_000);

  test("fallback: the primary's 500 before the first byte, the backup answers; headers name both", async () => {
    const { data, headers } = await ask("fallback-model", "fallback-user");
    expect(data.choices[0]!.message.content).toBe(MOCK_ANSWER);
    expect([headers.get("x-edgeflag-variant"), headers.get("x-edgeflag-served-variant")]).toEqual(["primary", "backup"]);
    expect(headers.get("x-upstream-secret-header")).toBeNull();
  });

  test("streaming: without include_usage no usage chunk reaches the client; with it, the upstream's usage", async () => {
    const subject = "stream-user";
    const model = "chat-model";
    const plain = await client.chat.completions.create({ model, user: subject, messages: [{ role: "user", content: "hi" }], stream: true });
    let text = "";
    for await (const chunk of plain) {
      expect(chunk.usage ?? null).toBeNull();
      text += chunk.choices[0]?.delta.content ?? "";
    }
    const variant = evaluate(compileConfig(config), model, { subject }).variant;
    expect(text).toBe(variant === "fixed-42" ? "42" : MOCK_ANSWER);
    const withUsage = await client.chat.completions.create({ model: "fallback-model", user: subject, messages: [{ role: "user", content: "hi" }], stream: true, stream_options: { include_usage: true } });
    const usages = [];
    for await (const chunk of withUsage) if (chunk.usage) usages.push(chunk.usage);
    const u = OPENAI_USAGE.normal!;
    expect(usages).toHaveLength(1);
    expect(usages[0]).toMatchObject({ prompt_tokens: u.prompt, completion_tokens: u.completion, total_tokens: u.prompt + u.completion });
  });

  test("an Anthropic arm streams through as OpenAI chunks, its usage (cache reads and writes) in the one usage chunk asked for", async () => {
    const compiled = compileConfig(config);
    const subject = Array.from({ length: 600 }, (_, i) => `claude-stream-${i}`).find((s) => evaluate(compiled, "chat-model", { subject: s }).variant === "claude")!;
    const stream = await client.chat.completions.create({ model: "chat-model", user: subject, messages: [{ role: "user", content: "hi" }], stream: true, stream_options: { include_usage: true } });
    let text = "";
    const usages = [];
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usages.push(chunk.usage);
    }
    const a = ANTHROPIC_USAGE.cached!;
    expect(text).toBe(MOCK_ANSWER);
    expect(usages).toEqual([expect.objectContaining({ prompt_tokens: a.input + a.cacheRead + a.cacheWrite, completion_tokens: a.output, prompt_tokens_details: { cached_tokens: a.cacheRead } })]);
  });

  test("a stream the upstream cuts makes the openai client throw, never a clean end", async () => {
    const stream = await client.chat.completions.create({ model: "cut-model", user: "cut-user", messages: [{ role: "user", content: "hi" }], stream: true });
    const read = async () => {
      for await (const _ of stream) void _;
    };
    await expect(read()).rejects.toThrow();
  });

  test("401 in OpenAI's shape for a wrong key, through the client", async () => {
    const stranger = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "efr1.wrong", maxRetries: 0 });
    const error = await stranger.chat.completions.create({ model: "chat-model", user: "u", messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe("invalid_api_key");
  });
});

describe("records and secrets", () => {
  interface Execution { subject: string; variant: string; input_tokens: number; output_tokens: number; cost: number; latency_ms: number }
  interface Routed { subject: string; variant: string; served_variant: string | null; fallback: number; truncated: number; usage_source: string; cached_input_tokens: number; cache_write_tokens: number; provider: string; stream: number; error: string | null; attempts: string }

  test("executions land in D1 in the assigned arm, with exact usage and cost per upstream shape", async () => {
    const compiled = compileConfig(config);
    const byVariant = (v: string) => Array.from({ length: 600 }, (_, i) => `split-subject-${i}`).find((s) => evaluate(compiled, "chat-model", { subject: s }).variant === v)!;
    const openaiSubject = byVariant("gpt-4o");
    const anthropicSubject = byVariant("claude");
    const rows = await rowsUntil<Execution>(`SELECT subject, variant, input_tokens, output_tokens, cost, latency_ms FROM events WHERE type = 'execution' AND env = '${ENV}' AND subject IN ('${openaiSubject}', '${anthropicSubject}', 'fallback-user') ORDER BY subject`, 3);
    const o = OPENAI_USAGE.cached!;
    const a = ANTHROPIC_USAGE.cached!;
    const n = OPENAI_USAGE.normal!;
    const expected = [
      { subject: "fallback-user", variant: "primary", input_tokens: n.prompt - n.cached, output_tokens: n.completion, cost: ((n.prompt - n.cached) * OPENAI_PRICES.input + n.cached * OPENAI_PRICES.cachedInput + n.completion * OPENAI_PRICES.output) / 1e6 },
      { subject: openaiSubject, variant: "gpt-4o", input_tokens: o.prompt - o.cached, output_tokens: o.completion, cost: ((o.prompt - o.cached) * OPENAI_PRICES.input + o.cached * OPENAI_PRICES.cachedInput + 0 * OPENAI_PRICES.input + o.completion * OPENAI_PRICES.output) / 1e6 },
      { subject: anthropicSubject, variant: "claude", input_tokens: a.input, output_tokens: a.output, cost: (a.input * ANTHROPIC_PRICES.input + a.cacheRead * ANTHROPIC_PRICES.cachedInput + a.cacheWrite * ANTHROPIC_PRICES.cacheWrite + a.output * ANTHROPIC_PRICES.output) / 1e6 },
    ].sort((x, y) => (x.subject < y.subject ? -1 : 1));
    expect(rows.map(({ latency_ms: _, ...r }) => r)).toEqual(expected);
    // By hand: 25·2.5 + 7·10 = 132.5; 200·2.5 + 1000·1.25 + 50·10 = 2250; 200·3 + 1000·0.3 + 300·3.75 + 50·15 = 2775 (per million).
    expect(Object.fromEntries(rows.map((r) => [r.variant, r.cost]))).toEqual({ primary: 0.0001325, "gpt-4o": 0.00225, claude: 0.002775 });
    for (const r of rows) expect(r.latency_ms).toBeGreaterThan(0);
    const routed = d1<Routed>(`SELECT subject, variant, served_variant, fallback, truncated, usage_source, cached_input_tokens, cache_write_tokens, provider, stream, error, attempts FROM events WHERE type = 'execution' AND env = '${ENV}' AND subject IN ('${openaiSubject}', '${anthropicSubject}', 'fallback-user') ORDER BY subject`);
    const bySubject = Object.fromEntries(routed.map((r) => [r.subject, r]));
    expect(bySubject[openaiSubject]).toMatchObject({ served_variant: "gpt-4o", fallback: 0, truncated: 0, usage_source: "provider", cached_input_tokens: o.cached, cache_write_tokens: 0, provider: "openai", stream: 0, error: null });
    expect(bySubject[anthropicSubject]).toMatchObject({ served_variant: "claude", fallback: 0, usage_source: "provider", cached_input_tokens: a.cacheRead, cache_write_tokens: a.cacheWrite, provider: "anthropic" });
    expect(bySubject["fallback-user"]).toMatchObject({ variant: "primary", served_variant: "backup", fallback: 1, provider: "openai" });
    const attempts = JSON.parse(bySubject["fallback-user"]!.attempts) as Array<{ variant: string; status: number; outputTokens?: number }>;
    expect(attempts.map((t) => [t.variant, t.status, t.outputTokens])).toEqual([["primary", 500, undefined], ["backup", 200, n.completion]]);
  });

  test("the cut stream is recorded as truncated, with the usage seen so far and how it was obtained", async () => {
    const [cut] = await rowsUntil<Routed & { output_tokens: number | null }>(`SELECT subject, variant, truncated, usage_source, stream, error, output_tokens FROM events WHERE type = 'execution' AND env = '${ENV}' AND subject = 'cut-user'`, 1);
    expect(cut).toMatchObject({ variant: "cut", truncated: 1, stream: 1 });
    expect(["partial", "estimated"]).toContain(cut!.usage_source);
    expect(cut!.error).not.toBeNull();
  });

  test("the keys reached the mock only as their own provider's credential, and never the client", async () => {
    expect(mock.requests.length).toBeGreaterThan(400);
    for (const r of mock.requests) {
      expect(r.headers.host).toBe(new URL(mock.url).host);
      if (r.path.endsWith("/messages")) expect([r.headers["x-api-key"], r.headers.authorization]).toEqual([ANTHROPIC_KEY, undefined]);
      else expect([r.headers.authorization, r.headers["x-api-key"]]).toEqual([`Bearer ${OPENAI_KEY}`, undefined]);
    }
    for (const answer of seen) for (const secret of [OPENAI_KEY, ANTHROPIC_KEY, "do-not-echo"]) expect(answer).not.toContain(secret);
  });

  test("a config pointing a key at an origin not allowed for it is refused at publish, and nothing reaches that origin", async () => {
    const before = mock.requests.length;
    const elsewhere = makeConfig(mock.url.replace("127.0.0.1", "localhost"));
    const res = await publishConfig(elsewhere);
    expect(res.status).toBe(400);
    expect((await res.json()) as { error: { code: string } }).toMatchObject({ error: { code: "UPSTREAM_NOT_ALLOWED" } });
    await ask("chat-model", "after-refusal");
    expect(mock.requests.slice(before).every((r) => r.headers.host === new URL(mock.url).host)).toBe(true);
  });
});
