/**
 * `npm run bench`: edgeflag's evaluation core vs GrowthBookClient (@growthbook/growthbook 1.8.0)
 * on the same 100 flags and the same 1,000,000 (flag, subject, country) triples, plus bundle and
 * payload sizes, and the dashboard's bytes and time to a rendered results view. A benchmark, not a
 * test: it prints tables.
 */
import { cpus } from "node:os";
import { GrowthBookClient } from "@growthbook/growthbook";
import { compileConfig, evaluate } from "../sdk-js/src/core/index.ts";
import { validate } from "../config-schema/src/index.ts";
import { generateFlags, generateTriples, expectedCounts } from "./gen.mjs";
import { runEdgeflag, runGrowthBook, audit, interleave } from "./throughput.mjs";
import { coreBundle, growthBookBundle, payloadSizes } from "./sizes.mjs";
import { printTable, int, fixed, pct, median } from "./table.mjs";
import { benchSigning } from "./signing.mjs";
import { benchKeySet } from "./key-set.mjs";
import { benchServing } from "./serving.mjs";
import { benchClient } from "./client.mjs";
import { benchBrowser } from "./browser.mjs";
import { benchLive } from "./live.mjs";
import { benchDashboard } from "./dashboard.mjs";
import { benchEvents } from "./events.mjs";
import { benchRamps } from "./ramps.mjs";
import { benchRouter } from "./router.mjs";
import { benchResults } from "./results.mjs";
import { benchValidators } from "./validators.mjs";
import { benchOffline } from "./offline.mjs";

const FLAGS = 100;
const EVALS = 1_000_000;
const RUNS = 5;
const GOAL = 10;

const t0 = performance.now();
console.log(`edgeflag bench — Node ${process.version} (${process.platform}/${process.arch}), ${cpus().length} CPU × ${cpus()[0]?.model ?? "?"}`);
console.log(`GrowthBook SDK ${new GrowthBookClient().version}`);
console.log("");

// ---- workload -------------------------------------------------------------------------------
const { config, payload, meta } = generateFlags(FLAGS);
const valid = validate(config);
if (!valid.valid) throw new Error(`generated config is invalid: ${JSON.stringify(valid.errors.slice(0, 3))}`);
const triples = generateTriples(EVALS, FLAGS);
const expected = expectedCounts(meta, triples);
const twoWay = meta.filter((m) => m.variantCount === 2).length;
console.log(`Workload: ${FLAGS} flags (${twoWay} with 2 variants split 50/50 control/treatment; ${FLAGS - twoWay} with 3 variants,`);
console.log(`default "control" outside the allocation and a 50/50 split between the two challengers a/b),`);
console.log(`each: one allocation, rule country one_of 3–7 of 10 countries, rollout 20%–100% in 5% steps.`);
console.log(`${int(EVALS)} triples, flag and country uniform, subject user-<k> with k uniform in [0, ${int(EVALS * 10)}).`);
console.log("");

// ---- sizes ----------------------------------------------------------------------------------
const core = await coreBundle();
const gbBundle = await growthBookBundle();
printTable(
  "Bundle size — esbuild bundle+minify, ESM, platform neutral; gzip -9 (node:zlib)",
  ["bundle", "minified B", "gzip B"],
  [
    ["edgeflag core (sdk-js/src/core/index.ts)", int(core.minified), int(core.gzip)],
    ["GrowthBookClient 1.8.0 (for context)", int(gbBundle.minified), int(gbBundle.gzip)],
  ],
  { right: [1, 2] },
);
console.log(`core bundle inputs: ${core.inputs.map((i) => `${i.path.replace(/^.*?(config-schema|sdk-js)\//, "$1/")} (${int(i.bytes)} B)`).join(", ")}`);
if (core.forbidden.length === 0) {
  console.log("core bundle check: OK — @cfworker/json-schema, the schema JSON and validate.ts are not even resolved.");
} else if (core.inOutput.length === 0) {
  console.log(`core bundle check: OK — 0 bytes from @cfworker/json-schema / schema JSON / validate.ts in the output;`);
  console.log(`  esbuild resolves them (${core.forbidden.length} modules) only to tree-shake them ("sideEffects": false), reached via:`);
  for (const line of core.importers) console.log(`    ${line}`);
} else {
  console.log(`core bundle check: FAIL — in the output: ${core.inOutput.map((i) => `${i.path} (${int(i.bytes)} B)`).join(", ")}; reached via:`);
  for (const line of core.importers) console.log(`    ${line}`);
}
console.log("");

const sizes = payloadSizes(config, payload);
printTable(
  `Config payload size — the same ${FLAGS} flags, compact JSON`,
  ["document", "bytes", "gzip -9 B"],
  [
    ["edgeflag config", int(sizes.ours.bytes), int(sizes.ours.gzip)],
    ["GrowthBook features payload", int(sizes.theirs.bytes), int(sizes.theirs.gzip)],
    ["edgeflag / GrowthBook", fixed(sizes.ours.bytes / sizes.theirs.bytes, 2), fixed(sizes.ours.gzip / sizes.theirs.gzip, 2)],
  ],
  { right: [1, 2] },
);
console.log("(GrowthBook payload is minimal: key, seed, hashVersion, hashAttribute, condition, coverage, variations, weights;");
console.log(" payloads exported by GrowthBook itself also carry id, meta, phase, name and UUID seeds.)");
console.log("");

// ---- throughput -----------------------------------------------------------------------------
let t = performance.now();
const compiled = compileConfig(config);
const compileMs = performance.now() - t;
if (compiled.error || [...compiled.flags.values()].some((f) => !f.ok)) throw new Error("config did not compile");

const noop = () => {};
t = performance.now();
const gbNpm = new GrowthBookClient({ trackingCallback: noop }).initSync({ payload });
const initMs = performance.now() - t;
const gbNpmBare = new GrowthBookClient({}).initSync({ payload: structuredClone(payload) });
const gbProd = new gbBundle.GrowthBookClient({}).initSync({ payload: structuredClone(payload) });

const problems = audit(evaluate, compiled, gbNpm, config, meta, triples);
if (problems.length) {
  console.log("AUDIT FAILED:");
  for (const p of problems) console.log(`  ${p}`);
  process.exitCode = 1;
}

const impls = [
  { name: "edgeflag core", run: () => runEdgeflag(evaluate, compiled, meta, triples) },
  { name: "GrowthBookClient (npm ESM, no-op trackingCallback)", run: () => runGrowthBook(gbNpm, meta, triples) },
  { name: "GrowthBookClient (npm ESM, no callbacks)", run: () => runGrowthBook(gbNpmBare, meta, triples) },
  { name: "GrowthBookClient (bundled, NODE_ENV=production, no callbacks)", run: () => runGrowthBook(gbProd, meta, triples) },
];
const results = interleave(impls, RUNS);
const med = results.map((runs) => median(runs.map((r) => r.ms)));
const rate = med.map((ms) => (EVALS * 1000) / ms);

printTable(
  `Evaluation throughput — ${FLAGS} flags, ${int(EVALS)} (flag, subject) pairs, median of ${RUNS} (after 1 warm-up), interleaved`,
  ["implementation", "evals/s", "ns/eval", "median ms", "warm-up ms", "runs (ms)"],
  impls.map((impl, i) => [
    impl.name,
    int(rate[i]),
    fixed(1e9 / rate[i], 0),
    fixed(med[i], 1),
    fixed(results[i].warmup.ms, 1),
    results[i].map((r) => fixed(r.ms, 0)).join(" "),
  ]),
  { right: [1, 2, 3, 4] },
);
for (let i = 1; i < impls.length; i++) {
  console.log(`ratio edgeflag / ${impls[i].name.padEnd(62)} ${fixed(rate[0] / rate[i], 1).padStart(5)}x`);
}
const worst = Math.min(...rate.slice(1).map((r) => rate[0] / r));
console.log(`goal >= ${GOAL}x against the fastest GrowthBook setup: ${fixed(worst, 1)}x — ${worst >= GOAL ? "MET" : "NOT MET"}`);
console.log(`setup: compileConfig ${fixed(compileMs, 2)} ms; GrowthBookClient.initSync ${fixed(initMs, 2)} ms`);
console.log("");

// ---- sanity ---------------------------------------------------------------------------------
const rows = impls.map((impl, i) => {
  const all = [results[i].warmup, ...results[i]];
  const stable = all.every((r) => r.assigned === all[0].assigned && r.nonDefault === all[0].nonDefault && r.checksum === all[0].checksum);
  const r = all[0];
  return [impl.name, int(r.assigned), pct(r.assigned, EVALS), int(r.nonDefault), pct(r.nonDefault, EVALS), String(r.checksum), stable ? "yes" : "NO"];
});
rows.push(["expected (from flag definitions)", int(expected.assigned), pct(expected.assigned, EVALS), int(expected.nonDefault), pct(expected.nonDefault, EVALS), "", ""]);
printTable(
  "Assignment sanity — every run's counts (in allocation / experiment, value != default)",
  ["implementation", "assigned", "assigned %", "non-default", "non-default %", "checksum", "same every run"],
  rows,
  { right: [1, 2, 3, 4, 5] },
);
console.log(`per-evaluation audit (countries respected, values known, reasons consistent): ${problems.length ? "FAILED" : "OK"}`);
console.log("");

// ---- signed configs: verification and serving -----------------------------------------------
await benchClient(config);
await benchSigning(config);
await benchKeySet(config);
benchValidators();
await benchServing(config);
await benchEvents();
await benchRamps();
await benchRouter();
await benchResults().catch((e) => console.log(`Results query at 1M and 4M events: FAILED — ${e.message.split("\n")[0]}\n`));
await benchBrowser();
await benchLive();
await benchOffline();
await benchDashboard();
console.log(`total bench time ${fixed((performance.now() - t0) / 1000, 1)} s`);
