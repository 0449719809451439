// `npm run build`: the SDK (ESM, CJS, .d.ts, script-tag IIFE) and public/, the static files the
// Worker serves (the IIFE at /sdk/edgeflag.min.js, the example page at /examples/browser/, the
// dashboard at /).
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { buildDashboard } from "./lib/dashboard-build.ts";
import { devRoot, ROOT_PLACEHOLDER } from "./lib/dev-root.ts";

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

rmSync("sdk-js/dist", { recursive: true, force: true });
rmSync("public", { recursive: true, force: true });
run("rollup", ["-c", "sdk-js/rollup.config.mjs", "--silent"]);

// Declarations: tsc emits them from the sources; specifiers are rewritten to what ships.
run("tsc", ["-p", "sdk-js/tsconfig.build.json"]);
const typesRoot = "sdk-js/dist/types";
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
for (const file of walk(typesRoot).filter((f) => f.endsWith(".d.ts"))) {
  const toSchema = (sub) => {
    const rel = relative(dirname(file), join(typesRoot, "config-schema/src", sub)).replace(/\\/g, "/");
    return rel.startsWith(".") ? rel : `./${rel}`;
  };
  const text = readFileSync(file, "utf8")
    .replace(/(from\s+|import\()(["'])@edgeflag\/config-schema\2/g, (_m, p, q) => `${p}${q}${toSchema("index.js")}${q}`)
    .replace(/(["'])(\.{1,2}\/[^"']+)\.ts\1/g, "$1$2.js$1");
  writeFileSync(file, text);
}
for (const [name, src] of [["index", "index"], ["core", "core/index"], ["signing", "signing/index"], ["worker", "client/worker/index"], ["llm", "llm/index"], ["router", "router/index"]]) {
  const decl = `export * from "./types/sdk-js/src/${src}.js";\n`;
  writeFileSync(`sdk-js/dist/${name}.d.mts`, decl);
  writeFileSync(`sdk-js/dist/${name}.d.cts`, decl);
}

cpSync("config-schema/schema", `${typesRoot}/config-schema/schema`, { recursive: true });

// The published package is sdk-js/dist itself, with an exports map pointing at the builds
// (in the repo, @edgeflag/sdk resolves to the TypeScript sources).
const source = JSON.parse(readFileSync("sdk-js/package.json", "utf8"));
const pick = (deps, names) => Object.fromEntries(names.map((n) => [n, deps[n]]));
const entry = (name) => ({
  import: { types: `./${name}.d.mts`, default: `./${name}.mjs` },
  require: { types: `./${name}.d.cts`, default: `./${name}.cjs` },
});
const published = {
  name: source.name,
  version: source.version,
  description: source.description,
  license: "MIT",
  type: "module",
  sideEffects: ["./edgeflag.min.js"],
  main: "./index.cjs",
  module: "./index.mjs",
  types: "./index.d.cts",
  unpkg: "./edgeflag.min.js",
  exports: { ".": entry("index"), "./core": entry("core"), "./signing": entry("signing"), "./worker": entry("worker"), "./llm": entry("llm"), "./router": entry("router"), "./package.json": "./package.json" },
  // The schema's validator and the pattern checker stay dependencies (validate() runs where configs are signed, never in the script tag).
  dependencies: { jose: source.dependencies.jose, ...pick(JSON.parse(readFileSync("config-schema/package.json", "utf8")).dependencies, ["@cfworker/json-schema", "redos-detector"]) },
  engines: source.engines,
};
writeFileSync("sdk-js/dist/package.json", JSON.stringify(published, null, 2) + "\n");

mkdirSync("public/examples", { recursive: true });
cpSync("examples/browser", "public/examples/browser", { recursive: true });
// The example page pins the dev root (made on first build, git-ignored): see scripts/lib/dev-root.ts.
const page = "public/examples/browser/index.html";
const { kid } = await devRoot();
writeFileSync(page, readFileSync(page, "utf8").replaceAll(ROOT_PLACEHOLDER, kid));
// The dashboard at / (scripts/lib/dashboard-build.ts).
await buildDashboard();
console.log("built sdk-js/dist and public/ (the SDK, the example page, the dashboard)");
