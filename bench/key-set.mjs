/**
 * The SDK client's cold start (createClient → ready(): the 100-flag config fetched, verified,
 * compiled) with the keys pinned, and with only the root pinned (the key set read and verified
 * with the root first, then the config with the keys it lists), by JWK and by thumbprint. Runs
 * are interleaved in one process; each client is new, with fresh key objects and fresh storage
 * (as a new page), and the "network" answers from memory, so only the verification work differs.
 */
import { createClient, MemoryStorage } from "../sdk-js/src/index.ts";
import { generateSigningKey, signConfig, signKeySet } from "../sdk-js/src/signing/index.ts";
import { fixed, median, printTable } from "./table.mjs";

const RUNS = 200;

/** Milliseconds from createClient to a ready() that verified version 1. */
async function coldStart(config, trust, keySet) {
  const start = performance.now();
  const client = createClient({
    baseUrl: "https://bench.invalid", env: "bench", ...structuredClone(trust), storage: new MemoryStorage(), pollIntervalMs: 0, flushIntervalMs: 60_000,
    source: { latest: async () => config },
    fetch: async () => new Response(keySet),
  });
  const state = await client.ready();
  const ms = performance.now() - start;
  client.close();
  if (!state.ok) throw new Error(`cold start failed: ${JSON.stringify(state)}`);
  return ms;
}

/** Prints the table. `config` is generateFlags(100).config. */
export async function benchKeySet(config) {
  const [root, signer] = await Promise.all([generateSigningKey("EdDSA"), generateSigningKey("ES256")]);
  const jws = await signConfig(config, { key: signer.privateJwk, env: "bench", version: 1 });
  const keySet = await signKeySet({ keys: [signer.publicJwk] }, { root: root.privateJwk, version: 1 });
  const { kid: _k, alg: _a, use: _u, ...rootJwk } = root.publicJwk;
  const modes = [
    ["keys pinned (no key set)", { keys: { keys: [signer.publicJwk] } }],
    ["root pinned as JWK: key set, then config", { rootKey: rootJwk }],
    ["root pinned as thumbprint: key set (header JWK checked), then config", { rootKey: root.publicJwk.kid }],
  ];
  const samples = modes.map(() => []);
  for (let i = 0; i < 20; i++) for (const [, trust] of modes) await coldStart(jws, trust, keySet); // warm-up
  for (let i = 0; i < RUNS; i++) for (let m = 0; m < modes.length; m++) samples[m].push(await coldStart(jws, modes[m][1], keySet));
  const base = median(samples[0]);
  printTable(
    `Client cold start with a ${Object.keys(config.flags).length}-flag config (${jws.length} B JWS, ES256; root EdDSA), median of ${RUNS} interleaved`,
    ["trust", "median ms", "vs pinned keys"],
    modes.map(([name], m) => [name, fixed(median(samples[m]), 3), m === 0 ? "" : `+${fixed(median(samples[m]) - base, 3)} ms`]),
    { right: [1, 2] },
  );
  console.log("");
}
