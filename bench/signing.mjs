/**
 * Time to verify a signed 100-flag config (signature, claims and schema validation), ES256 and
 * EdDSA, with the same verifyConfig the SDK, the CLI and the Worker use.
 */
import { generateSigningKey, signConfig, verifyConfig } from "../sdk-js/src/signing/index.ts";
import { validate } from "../config-schema/src/index.ts";
import { fixed, int, median, printTable } from "./table.mjs";

const N = 300;

async function time(fn) {
  const samples = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

export async function benchSigning(config) {
  const rows = [];
  for (const alg of ["ES256", "EdDSA"]) {
    const { privateJwk, publicJwk } = await generateSigningKey(alg);
    const jws = await signConfig(config, { key: privateJwk, env: "bench", version: 1 });
    const keys = { keys: [publicJwk] };
    for (let i = 0; i < 20; i++) await verifyConfig(jws, { keys, env: "bench" }); // warm-up
    const total = await time(() => verifyConfig(jws, { keys, env: "bench" }));
    rows.push([alg, int(jws.length), fixed(total, 3), int(1000 / total)]);
  }
  const schemaOnly = await time(async () => validate(config));
  printTable(
    `Verify a signed ${Object.keys(config.flags).length}-flag config — verifyConfig (signature + claims + schema), median of ${N}`,
    ["alg", "JWS bytes", "median ms", "verifies/s"],
    rows,
    { right: [1, 2, 3] },
  );
  console.log(`of which schema + semantic validation alone: ${fixed(schemaOnly, 3)} ms`);
  console.log("");
}
