/**
 * The offline runner (`edgeflag experiment run`) against the local mock upstream
 * (scripts/lib/mock-llm.ts in its own process): cells per second at concurrency 1, 8 and 32 (each
 * cell one model call through callModel plus an exact-match evaluator) for an upstream that answers
 * at once (`echo`: the runner's own ceiling) and one that takes 20 ms (`slow:20`, where concurrency
 * pays), a rerun served from the cell cache, and the runner's own overhead per cell: the same calls
 * at concurrency 1 through the runner and through callModel directly, interleaved in rounds.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { callModel } from "../sdk-js/src/llm/index.ts";
import { CellCache } from "../cli/src/offline/cache.ts";
import { buildEvaluator } from "../cli/src/offline/evaluators.ts";
import { chatRequest, DEFAULT_RETRY } from "../cli/src/offline/model-call.ts";
import { runCells } from "../cli/src/offline/runner.ts";
import { fixed, int, printTable } from "./table.mjs";

const RECORDS = 400;
const ROUNDS = 3;
const silent = { tick() {}, done() {} };

/** The mock in a child process, so its work does not share the runner's event loop. */
async function startMock() {
  const port = await new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
  const child = spawn(process.execPath, ["scripts/lib/mock-llm.ts", "--port", String(port)], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) return { url, close: async () => void child.kill() };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error("the mock upstream did not start");
}

/** Prints the tables; never throws (a failure is printed as FAILED). */
export async function benchOffline() {
  const mock = await startMock();
  const dir = await mkdtemp(join(tmpdir(), "edgeflag-bench-offline-"));
  try {
    const call = { provider: "openai-compatible", model: "echo", baseUrl: `${mock.url}/v1` };
    const ctx = { fetch: globalThis.fetch, secret: () => undefined, allowedOrigins: () => [], now: Date.now };
    const records = Array.from({ length: RECORDS }, (_, i) => ({ id: `r${i}`, line: i + 1, input: `question ${i}`, expected: `question ${i}`, metadata: {} }));
    const evaluators = [{ name: "exact-match", evaluate: await buildEvaluator({ name: "exact-match", type: "exact-match" }, ctx, DEFAULT_RETRY) }];
    const plan = (concurrency, cache, value = call) => ({ variants: [{ name: "echo", value }], records, runs: 1, concurrency, cache, ctx, retry: DEFAULT_RETRY, evaluators, progress: silent });
    const timed = async (f) => {
      const t0 = performance.now();
      await f();
      return performance.now() - t0;
    };
    const rows = [];
    for (const [label, value] of [["answers at once", call], ["answers in 20 ms", { ...call, model: "slow:20" }]]) {
      for (const concurrency of [1, 8, 32]) {
        const ms = [];
        for (let r = 0; r < ROUNDS; r++) ms.push(await timed(() => runCells(plan(concurrency, new CellCache(undefined), value))));
        const best = Math.min(...ms);
        rows.push([`upstream ${label}, concurrency ${concurrency}`, int(RECORDS), fixed(best, 0), int((RECORDS / best) * 1000)]);
      }
    }
    const cacheDir = join(dir, "cache");
    await runCells(plan(8, new CellCache(cacheDir)));
    const cachedMs = await timed(() => runCells(plan(8, new CellCache(cacheDir))));
    rows.push(["rerun, every cell from the cache, concurrency 8", int(RECORDS), fixed(cachedMs, 0), int((RECORDS / cachedMs) * 1000)]);
    printTable(`Offline runner — ${RECORDS} cells against the local mock upstream (one callModel + exact-match each); best of ${ROUNDS}`, ["what", "cells", "ms", "cells/s"], rows, { right: [1, 2, 3] });

    // Overhead: the runner at concurrency 1 vs the same callModel calls in a plain loop.
    const direct = async () => {
      for (const r of records) {
        const result = await callModel(call, chatRequest(r.input, {}), ctx, { variant: "echo" });
        await result.response.json();
        await result.record;
      }
    };
    const runner = [];
    const plain = [];
    for (let r = 0; r < ROUNDS; r++) {
      plain.push(await timed(direct));
      runner.push(await timed(() => runCells(plan(1, new CellCache(undefined)))));
    }
    const perCell = (ms) => (Math.min(...ms) / RECORDS) * 1000;
    printTable("Offline runner overhead per cell (concurrency 1, best of 3 interleaved rounds)", ["path", "µs per cell"], [
      ["callModel directly (plain loop)", fixed(perCell(plain), 0)],
      ["runner (pool, cache lookup, retries, scoring, bookkeeping)", fixed(perCell(runner), 0)],
      ["runner's own overhead", fixed(perCell(runner) - perCell(plain), 0)],
    ], { right: [1] });
  } catch (e) {
    console.log(`Offline runner bench FAILED: ${e?.message ?? e}`);
  } finally {
    await mock.close();
    await rm(dir, { recursive: true, force: true });
  }
  console.log("");
}

if (import.meta.url === `file://${process.argv[1]}`) await benchOffline();
