/**
 * Bundle sizes (esbuild, minified, gzip -9) and config payload sizes.
 */
import { build } from "esbuild";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export function gzipBytes(text) {
  return gzipSync(Buffer.from(text), { level: 9 }).length;
}

/** Inputs that must not reach the core bundle. */
const FORBIDDEN = [/@cfworker[\\/]json-schema/, /flag-config\.v1\.json$/, /config-schema[\\/]src[\\/]validate\.ts$/];

/**
 * Bundles the evaluation core as a consumer would (bundle + minify, ESM, neutral platform), and
 * reports its size and every input module with the bytes it contributes to the output.
 */
export async function coreBundle() {
  const res = await build({
    entryPoints: [join(root, "sdk-js/src/core/index.ts")],
    absWorkingDir: root,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const text = res.outputFiles[0].text;
  const output = Object.values(res.metafile.outputs)[0];
  const inputs = Object.entries(output.inputs).map(([path, info]) => ({ path, bytes: info.bytesInOutput }));
  const allInputs = Object.keys(res.metafile.inputs);
  const forbidden = allInputs.filter((p) => FORBIDDEN.some((re) => re.test(p)));
  // Which of our modules import the forbidden ones.
  const importers = [];
  for (const [path, info] of Object.entries(res.metafile.inputs)) {
    if (forbidden.includes(path) || path.includes("node_modules")) continue; // only the edges that enter the forbidden set
    for (const imp of info.imports) {
      const barrel = imp.path.endsWith("config-schema/src/index.ts") && path.startsWith("sdk-js/");
      if (forbidden.includes(imp.path) || barrel) importers.push(`${path} imports ${imp.original ?? imp.path}${barrel ? " (the barrel)" : ""}`);
    }
  }
  const inOutput = inputs.filter((i) => FORBIDDEN.some((re) => re.test(i.path)) && i.bytes > 0);
  return { minified: Buffer.byteLength(text), gzip: gzipBytes(text), inputs, allInputs, forbidden, inOutput, importers };
}

/**
 * Bundles GrowthBookClient as a bundler-using deployment would (NODE_ENV=production defined, so
 * its dev-only logging and `process.env` reads are compiled out). Returns its size and the module,
 * loaded from a temporary file, for the throughput comparison.
 */
export async function growthBookBundle() {
  const res = await build({
    stdin: { contents: 'export { GrowthBookClient } from "@growthbook/growthbook";', resolveDir: root, loader: "js" },
    absWorkingDir: root,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"], // dom-mutator (a GrowthBook dependency) has no "exports"
    define: { "process.env.NODE_ENV": '"production"' },
    write: false,
    logLevel: "silent",
  });
  const text = res.outputFiles[0].text;
  const dir = mkdtempSync(join(tmpdir(), "edgeflag-bench-"));
  const file = join(dir, "growthbook.prod.mjs");
  writeFileSync(file, text);
  const mod = await import(pathToFileURL(file).href);
  rmSync(dir, { recursive: true, force: true }); // already loaded
  return { minified: Buffer.byteLength(text), gzip: gzipBytes(text), GrowthBookClient: mod.GrowthBookClient };
}

/** Compact JSON sizes of both documents. */
export function payloadSizes(config, payload) {
  const ours = JSON.stringify(config);
  const theirs = JSON.stringify(payload);
  return {
    ours: { bytes: Buffer.byteLength(ours), gzip: gzipBytes(ours) },
    theirs: { bytes: Buffer.byteLength(theirs), gzip: gzipBytes(theirs) },
  };
}
