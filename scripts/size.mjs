// `npm run size`: the shipped files' minified and gzip -9 bytes against sdk-js/size-budget.json,
// and the dashboard's (public/dashboard, public/index.html) against dashboard/size-budget.json.
// Exits 1 when a budget is exceeded. Builds first when sdk-js/dist or the dashboard is missing.
import { existsSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

import { DASHBOARD_FILES } from "./lib/dashboard-build.ts";

if (!existsSync("sdk-js/dist/edgeflag.min.js") || !existsSync(DASHBOARD_FILES["app.js"])) spawnSync("node", ["scripts/build.mjs"], { stdio: "inherit" });
const { budgets } = JSON.parse(readFileSync("sdk-js/size-budget.json", "utf8"));
const rows = [];
let over = 0;
for (const [file, budget] of Object.entries(budgets)) {
  // npm files are measured minified (as a bundler would ship them); the IIFE is already minified.
  const raw = readFileSync(`sdk-js/dist/${file}`);
  const minified = file.endsWith(".min.js")
    ? raw
    : (await build({ entryPoints: [`sdk-js/dist/${file}`], bundle: true, minify: true, format: "esm", platform: "neutral", write: false, external: ["jose", "@cfworker/*"] })).outputFiles[0].contents;
  const gzip = gzipSync(minified, { level: 9 }).length;
  const ok = gzip <= budget.gzip;
  if (!ok) over++;
  const goal = budget.goal === undefined || gzip <= budget.goal ? "" : `goal ${budget.goal}: ${gzip - budget.goal} to cut`;
  rows.push([file, budget.what, minified.length, gzip, budget.gzip, ok ? "ok" : `OVER by ${gzip - budget.gzip}`, goal]);
}
// The dashboard's files are already minified by the build.
const dashboard = JSON.parse(readFileSync("dashboard/size-budget.json", "utf8")).budgets;
for (const [file, budget] of Object.entries(dashboard)) {
  const raw = readFileSync(DASHBOARD_FILES[file]);
  const gzip = gzipSync(raw, { level: 9 }).length;
  const ok = gzip <= budget.gzip;
  if (!ok) over++;
  const goal = budget.goal === undefined || gzip <= budget.goal ? "" : `goal ${budget.goal}: ${gzip - budget.goal} to cut`;
  rows.push([`dashboard ${file}`, budget.what, raw.length, gzip, budget.gzip, ok ? "ok" : `OVER by ${gzip - budget.gzip}`, goal]);
}
const head = ["file", "what", "minified B", "gzip -9 B", "budget B", "", ""];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
console.log("Bundle sizes against sdk-js/size-budget.json and dashboard/size-budget.json");
for (const r of [head, ...rows]) console.log(r.map((c, i) => (typeof c === "number" ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join("   ").trimEnd());
console.log("peers (gzip): GrowthBook 10.6 KB, Unleash proxy client 8.4 KB (no local evaluation), Statsig 26.6 KB, Eppo 42 KB");
process.exit(over > 0 ? 1 : 0);
