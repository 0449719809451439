/**
 * The SDK client's evaluate() next to the core's, on the same 1,000,000 (flag, subject, country)
 * triples in the same process: what the client adds per evaluation (context merge, assignment
 * object, exposure dedup in its bounded cache, the event queue). Its config is a signed bootstrap
 * (no network: config fetches never resolve); event posts go to a fetch that discards them.
 *
 * Every loop yields to the event loop once per 100 evaluations, as a server does between
 * requests, so that the client's queue can send; the final flush() is timed with the client.
 */
import { readFileSync } from "node:fs";
import { compileConfig, evaluate } from "../sdk-js/src/core/index.ts";
import { createClient, MemoryStorage } from "../sdk-js/src/index.ts";
import { publicJwk, signConfig } from "../sdk-js/src/signing/index.ts";
import { COUNTRIES, generateTriples } from "./gen.mjs";
import { fixed, int, median, printTable } from "./table.mjs";

const EVALS = 1_000_000;
const RUNS = 5;
const PER_REQUEST = 100;
const EVENTS_URL = "https://bench.invalid/v1/events";
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** One timed pass over every triple; `evaluateOne` returns the evaluation result. */
async function loop(flags, t, evaluateOne, after = async () => {}) {
  const { n, flagIdx, countryIdx, subjects } = t;
  let assigned = 0;
  let checksum = 0;
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    if (i % PER_REQUEST === 0) await tick();
    const f = flags[flagIdx[i]];
    const r = evaluateOne(f.key, f.defaultValue, subjects[i], COUNTRIES[countryIdx[i]]);
    if (r.allocation !== null) assigned++;
    checksum = (checksum + r.value.length * (i & 7)) | 0;
  }
  await after();
  return { ms: performance.now() - start, assigned, checksum };
}

/** A client on `config`, signed as env "bench" and passed as bootstrap; the network never answers. */
async function benchmarkClient(config, keys, stats) {
  const jws = await signConfig(config, { key: keys.es256, env: "bench", version: 1 });
  const fetch = (url) => {
    if (String(url) !== EVENTS_URL) return new Promise(() => {}); // config: no network
    stats.posts++;
    return Promise.resolve(new Response(null, { status: 202 })); // events: the body is dropped
  };
  const client = createClient({
    baseUrl: "https://bench.invalid", env: "bench", keys: { keys: [await publicJwk(keys.es256)] }, bootstrap: jws, subject: "bench",
    storage: new MemoryStorage(), fetch, pollIntervalMs: 0, eventsUrl: EVENTS_URL, onExposure: () => stats.exposures++,
  });
  const state = await client.ready();
  if (!state.ok || state.source !== "bootstrap") throw new Error(`bench client not ready: ${JSON.stringify(state)}`);
  return client;
}

/** Prints the table. `config` is generateFlags(100).config. */
export async function benchClient(config) {
  const keys = JSON.parse(readFileSync(new URL("../config-schema/vectors/test-signing-keys.json", import.meta.url), "utf8"));
  const flags = Object.entries(config.flags).map(([key, f]) => ({ key, defaultValue: f.variants[f.defaultVariant].value }));
  const triples = generateTriples(EVALS, flags.length);
  const unlogged = structuredClone(config);
  for (const f of Object.values(unlogged.flags)) for (const a of f.allocations) a.log = false;

  const compiled = compileConfig(config);
  const logged = { posts: 0, exposures: 0 };
  const quiet = { posts: 0, exposures: 0 };
  const withExposures = await benchmarkClient(config, keys, logged);
  const withoutExposures = await benchmarkClient(unlogged, keys, quiet);
  const viaClient = (client) => (key, def, subject, country) => client.evaluate(key, def, { subject, attributes: { country } });
  const impls = [
    { name: "core evaluate(compiled, flag, context, default)", run: () => loop(flags, triples, (key, def, subject, country) => evaluate(compiled, key, { subject, attributes: { country } }, def)) },
    { name: "client.evaluate, allocations without log (no exposures)", run: () => loop(flags, triples, viaClient(withoutExposures), () => withoutExposures.flush()) },
    { name: "client.evaluate, exposures logged, deduped, sent", run: () => loop(flags, triples, viaClient(withExposures), () => withExposures.flush()), stats: logged },
  ];

  const results = impls.map(() => []);
  const exposuresPerRun = [];
  for (let round = 0; round <= RUNS; round++) {
    for (let j = 0; j < impls.length; j++) {
      const idx = (j + round) % impls.length;
      const before = { ...logged };
      const r = await impls[idx].run();
      if (idx === 2) exposuresPerRun.push({ exposures: logged.exposures - before.exposures, posts: logged.posts - before.posts });
      if (round > 0) results[idx].push(r);
      else results[idx].warmup = r;
    }
  }
  withExposures.close();
  withoutExposures.close();

  const rate = results.map((runs) => (EVALS * 1000) / median(runs.map((r) => r.ms)));
  printTable(
    `Client vs core — ${flags.length} flags, ${int(EVALS)} (flag, subject, country) triples, median of ${RUNS} (after 1 warm-up), interleaved; a yield every ${PER_REQUEST} evaluations in every loop`,
    ["implementation", "evals/s", "ns/eval", "median ms", "warm-up ms", "runs (ms)", "core / this"],
    impls.map((impl, i) => [impl.name, int(rate[i]), fixed(1e9 / rate[i], 0), fixed(median(results[i].map((r) => r.ms)), 1), fixed(results[i].warmup.ms, 1), results[i].map((r) => fixed(r.ms, 0)).join(" "), `${fixed(rate[0] / rate[i], 1)}x`]),
    { right: [1, 2, 3, 4, 6] },
  );
  const same = results.every((runs) => runs.every((r) => r.assigned === results[0][0].assigned && r.checksum === results[0][0].checksum));
  const last = exposuresPerRun.at(-1);
  console.log(`same assignments and values from core and client in every run: ${same ? "yes" : "NO"}`);
  const inLogged = results[2][0].assigned;
  console.log(`exposures per run: ${int(inLogged)} evaluations in a logged allocation → ${int(last.exposures)} exposures logged, ${int(inLogged - last.exposures)} deduped by the client's 1,000-entry cache (subjects are mostly distinct), sent in ${int(last.posts)} posts`);
  console.log("");
}
