/**
 * The model router's added latency: the same local mock upstream (scripts/lib/mock-llm.ts) called
 * directly, through a pass-through proxy Worker, and through edgeflag's router
 * (POST /v1/chat/completions with a router key: key check, config read, evaluation, exposure,
 * request rewrite, accounting, execution record), all three on the same machine in the same run,
 * interleaved in rounds. Non-streaming: time to the whole answer. Streaming: time to the first
 * non-empty content delta (TTFT). One request at a time, so the figures are latencies, not queueing.
 * Two more rows say where the time goes: the same Worker without its rate-limiting bindings (each
 * is an RPC to wrangler's local simulation; in production the counters are cached in the colo),
 * and createRouter itself in this Node process over in-memory KV and Queue (the router's own code).
 */
const NO_LIMITS = "wrangler.bench-nolimits.toml";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { exportJWK, generateKeyPair } from "jose";
import { createRouter } from "../sdk-js/src/router/index.ts";
import { signConfig } from "../sdk-js/src/signing/index.ts";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDevServer } from "../scripts/lib/dev-server.ts";
import { startMockLlm } from "../scripts/lib/mock-llm.ts";
import { fixed, printTable } from "./table.mjs";

const ROUNDS = 5;
const PER_ROUND = 100;
const TOKEN = "bench-router-token";
const ENV = "router-bench";

const signed = (x) => `${x < 0 ? "−" : "+"}${fixed(Math.abs(x), 2)}`;
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];

/** Milliseconds to the whole answer (non-streaming) or to the first content delta (streaming). */
async function timeOne(url, headers, body, stream) {
  const t0 = performance.now();
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ ...body, stream }) });
  if (!res.ok) throw new Error(`${url} → ${res.status} ${await res.text()}`);
  if (!stream) {
    await res.arrayBuffer();
    return performance.now() - t0;
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let ttft = null;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (ttft === null && /"content":"[^"]/.test(text)) ttft = performance.now() - t0;
  }
  if (ttft === null) throw new Error(`${url}: no content delta`);
  return ttft;
}

/** createRouter in this process, over an in-memory KV and Queue, against the mock: the router's own code. */
async function inProcess(mockUrl) {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const key = { ...(await exportJWK(privateKey)), kid: "k", alg: "ES256" };
  const pub = { ...(await exportJWK(publicKey)), kid: "k", alg: "ES256" };
  const config = { flags: { "chat-model": { enabled: true, defaultVariant: "mock", variants: { mock: { value: { provider: "openai-compatible", model: "normal", baseUrl: `${mockUrl}/v1` } } }, allocations: [{ key: "all", log: true, splits: [{ variant: "mock", weight: 1 }] }] } } };
  const data = new Map([["config:e:latest", "1"], ["config:e:1", await signConfig(config, { key, env: "e", version: 1 })]]);
  const kv = { get: async (k) => data.get(k) ?? null };
  const queue = { send: async () => undefined, sendBatch: async () => undefined };
  const router = createRouter({ env: "e", trust: { keys: { keys: [pub] } }, kv, queue, secret: () => undefined, upstreams: {} });
  const pending = [];
  const ctx = { waitUntil: (p) => void pending.push(p) };
  const messages = [{ role: "user", content: "What is the answer?" }];
  const call = async (i, stream) => {
    const t0 = performance.now();
    const res = await router.fetch(new Request("http://router/v1/chat/completions", { method: "POST", body: JSON.stringify({ model: "chat-model", user: `p-${i}`, stream, messages }) }), ctx);
    await res.text();
    return performance.now() - t0;
  };
  const direct = (stream) => timeOne(`${mockUrl}/v1/chat/completions`, {}, { model: "normal", messages }, stream);
  const times = { false: { router: [], direct: [] }, true: { router: [], direct: [] } };
  for (let i = 0; i < 200; i++) await call(i, false), await direct(false);
  for (const stream of [false, true]) {
    for (let i = 0; i < ROUNDS * PER_ROUND; i++) {
      times[stream].router.push(await call(i, stream));
      times[stream].direct.push(await direct(stream));
    }
  }
  await Promise.allSettled(pending);
  return times;
}

/** Prints the table; never throws (a failure is printed as FAILED). */
export async function benchRouter() {
  const dir = await mkdtemp(join(tmpdir(), "edgeflag-bench-router-"));
  const mock = await startMockLlm();
  let router;
  let proxy;
  let bare;
  try {
    execFileSync(process.execPath, ["cli/bin/edgeflag.mjs", "keys", "generate", "--out", join(dir, "keys")], { stdio: "ignore" });
    const key = JSON.stringify(JSON.parse(await readFile(join(dir, "keys", "private.jwk"), "utf8")));
    const upstreams = JSON.stringify({ OPENAI_API_KEY: [mock.url] });
    await writeFile(join(dir, "dev.vars"), `ADMIN_TOKEN='${TOKEN}'\nSIGNING_KEY='${key}'\nOPENAI_API_KEY='sk-bench'\nROUTER_UPSTREAMS='${upstreams}'\n`);
    await writeFile(join(dir, "proxy.vars"), `UPSTREAM='${mock.url}'\n`);
    router = await startDevServer({ persistTo: join(dir, "state"), envFile: join(dir, "dev.vars") });
    const toml = await readFile("wrangler.toml", "utf8");
    await writeFile(NO_LIMITS, toml.replace(/^\[\[ratelimits\]\]\n(?:[^\n]+\n)*/gm, ""));
    bare = await startDevServer({ persistTo: join(dir, "bare"), envFile: join(dir, "dev.vars"), config: NO_LIMITS, migrate: true });
    proxy = await startDevServer({ persistTo: join(dir, "proxy"), config: "bench/proxy-peer/wrangler.toml", envFile: join(dir, "proxy.vars"), probe: "/", migrate: false });
    const config = {
      flags: {
        "chat-model": {
          enabled: true,
          defaultVariant: "mock",
          variants: { mock: { value: { provider: "openai", model: "normal", baseUrl: `${mock.url}/v1`, apiKeySecret: "OPENAI_API_KEY", prices: { input: 2.5, output: 10 } } } },
          allocations: [{ key: "all", log: true, splits: [{ variant: "mock", weight: 1 }] }],
        },
      },
    };
    const keyOf = async (base) => {
      const admin = (path, body) => fetch(`${base}/v1/admin${path}`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(body) });
      if ((await admin(`/configs/${ENV}`, { config })).status !== 201) throw new Error("publish failed");
      const made = await admin("/router-keys", { name: "bench", env: ENV });
      if (made.status !== 201) throw new Error(`router key: ${made.status} ${await made.text()}`);
      return (await made.json()).key;
    };
    const routerKey = await keyOf(router.url);
    const bareKey = await keyOf(bare.url);
    const messages = [{ role: "user", content: "What is the answer?" }];
    const paths = {
      direct: { url: `${mock.url}/v1/chat/completions`, headers: { authorization: "Bearer sk-bench" }, body: { model: "normal", messages } },
      proxy: { url: `${proxy.url}/v1/chat/completions`, headers: { authorization: "Bearer sk-bench" }, body: { model: "normal", messages } },
      router: { url: `${router.url}/v1/chat/completions`, headers: { authorization: `Bearer ${routerKey}` }, body: { model: "chat-model", messages } },
      bare: { url: `${bare.url}/v1/chat/completions`, headers: { authorization: `Bearer ${bareKey}` }, body: { model: "chat-model", messages } },
    };
    const times = { direct: { false: [], true: [] }, proxy: { false: [], true: [] }, router: { false: [], true: [] }, bare: { false: [], true: [] } };
    for (const stream of [false, true]) for (const p of Object.values(paths)) for (let i = 0; i < 20; i++) await timeOne(p.url, p.headers, { ...p.body, user: `warm-${i}` }, stream);
    for (let round = 0; round < ROUNDS; round++) {
      for (const stream of [false, true]) {
        for (const [name, p] of Object.entries(paths)) {
          for (let i = 0; i < PER_ROUND; i++) times[name][stream].push(await timeOne(p.url, p.headers, { ...p.body, user: `user-${round}-${i}` }, stream));
        }
      }
    }
    const stats = (xs) => {
      const s = [...xs].sort((a, b) => a - b);
      return { p50: quantile(s, 0.5), p99: quantile(s, 0.99) };
    };
    const local = await inProcess(mock.url);
    const rows = [];
    for (const stream of [false, true]) {
      const d = stats(times.direct[stream]), x = stats(times.proxy[stream]), r = stats(times.router[stream]), b = stats(times.bare[stream]);
      const ld = stats(local[stream].direct), lr = stats(local[stream].router);
      const what = stream ? "streaming, to first token" : "non-streaming, whole answer";
      rows.push([`direct to the mock (${what})`, fixed(d.p50, 2), fixed(d.p99, 2), "", ""]);
      rows.push([`  pass-through proxy Worker`, fixed(x.p50, 2), fixed(x.p99, 2), signed(x.p50 - d.p50), signed(x.p99 - d.p99)]);
      rows.push([`  edgeflag router`, fixed(r.p50, 2), fixed(r.p99, 2), signed(r.p50 - d.p50), signed(r.p99 - d.p99)]);
      rows.push([`  router over the proxy (routing itself)`, "", "", signed(r.p50 - x.p50), signed(r.p99 - x.p99)]);
      rows.push([`  edgeflag router, no rate-limit bindings`, fixed(b.p50, 2), fixed(b.p99, 2), signed(b.p50 - d.p50), signed(b.p99 - d.p99)]);
      rows.push([`  createRouter in-process (its own code)`, fixed(lr.p50, 2), fixed(lr.p99, 2), signed(lr.p50 - ld.p50), signed(lr.p99 - ld.p99)]);
    }
    rows.push(["published: Portkey gateway (OSS), local mock", "", "", "≈ +2.4", ""]);
    rows.push(["published: LiteLLM proxy, local mock", "", "", "≈ +4.3", ""]);
    rows.push(["published: LiteLLM docs, median", "", "", "+2 to +12", ""]);
    rows.push(["published: TensorZero (claim)", "", "", "", "< +1"]);
    printTable(
      `Model router — added latency on the same local mock upstream, ${ROUNDS} × ${PER_ROUND} requests per path and mode, one at a time (ms; goal ≤ +2 ms at p50)`,
      ["path", "p50", "p99", "added p50", "added p99"],
      rows,
      { right: [1, 2, 3, 4] },
    );
  } catch (e) {
    console.log(`Model router bench FAILED: ${e.message}`);
  } finally {
    await router?.stop();
    await proxy?.stop();
    await bare?.stop();
    await rm(NO_LIMITS, { force: true });
    await mock.close();
    await rm(dir, { recursive: true, force: true });
  }
  console.log("");
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRouter();
