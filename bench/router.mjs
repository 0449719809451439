/**
 * The model router's added latency: the same local mock upstream (scripts/lib/mock-llm.ts) called
 * directly, through a pass-through proxy Worker, and through edgeflag's router
 * (POST /v1/chat/completions with a router key: key check, config read, evaluation, exposure,
 * request rewrite, accounting, execution record), all three on the same machine in the same run,
 * interleaved in rounds. Non-streaming: time to the whole answer. Streaming: time to the first
 * non-empty content delta (TTFT). One request at a time, so the figures are latencies, not queueing.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
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

/** Prints the table; never throws (a failure is printed as FAILED). */
export async function benchRouter() {
  const dir = await mkdtemp(join(tmpdir(), "edgeflag-bench-router-"));
  const mock = await startMockLlm();
  let router;
  let proxy;
  try {
    execFileSync(process.execPath, ["cli/bin/edgeflag.mjs", "keys", "generate", "--out", join(dir, "keys")], { stdio: "ignore" });
    const key = JSON.stringify(JSON.parse(await readFile(join(dir, "keys", "private.jwk"), "utf8")));
    const upstreams = JSON.stringify({ OPENAI_API_KEY: [mock.url] });
    await writeFile(join(dir, "dev.vars"), `ADMIN_TOKEN='${TOKEN}'\nSIGNING_KEY='${key}'\nOPENAI_API_KEY='sk-bench'\nROUTER_UPSTREAMS='${upstreams}'\n`);
    await writeFile(join(dir, "proxy.vars"), `UPSTREAM='${mock.url}'\n`);
    router = await startDevServer({ persistTo: join(dir, "state"), envFile: join(dir, "dev.vars") });
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
    const admin = (path, body) => fetch(`${router.url}/v1/admin${path}`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    if ((await admin(`/configs/${ENV}`, { config })).status !== 201) throw new Error("publish failed");
    const made = await admin("/router-keys", { name: "bench", env: ENV });
    if (made.status !== 201) throw new Error(`router key: ${made.status} ${await made.text()}`);
    const routerKey = (await made.json()).key;
    const messages = [{ role: "user", content: "What is the answer?" }];
    const paths = {
      direct: { url: `${mock.url}/v1/chat/completions`, headers: { authorization: "Bearer sk-bench" }, body: { model: "normal", messages } },
      proxy: { url: `${proxy.url}/v1/chat/completions`, headers: { authorization: "Bearer sk-bench" }, body: { model: "normal", messages } },
      router: { url: `${router.url}/v1/chat/completions`, headers: { authorization: `Bearer ${routerKey}` }, body: { model: "chat-model", messages } },
    };
    const times = { direct: { false: [], true: [] }, proxy: { false: [], true: [] }, router: { false: [], true: [] } };
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
    const rows = [];
    for (const stream of [false, true]) {
      const d = stats(times.direct[stream]), x = stats(times.proxy[stream]), r = stats(times.router[stream]);
      const what = stream ? "streaming, to first token" : "non-streaming, whole answer";
      rows.push([`direct to the mock (${what})`, fixed(d.p50, 2), fixed(d.p99, 2), "", ""]);
      rows.push([`  pass-through proxy Worker`, fixed(x.p50, 2), fixed(x.p99, 2), `+${fixed(x.p50 - d.p50, 2)}`, `+${fixed(x.p99 - d.p99, 2)}`]);
      rows.push([`  edgeflag router`, fixed(r.p50, 2), fixed(r.p99, 2), `+${fixed(r.p50 - d.p50, 2)}`, `+${fixed(r.p99 - d.p99, 2)}`]);
      rows.push([`  router over the proxy (routing itself)`, "", "", `+${fixed(r.p50 - x.p50, 2)}`, `+${fixed(r.p99 - x.p99, 2)}`]);
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
    await mock.close();
    await rm(dir, { recursive: true, force: true });
  }
  console.log("");
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRouter();
