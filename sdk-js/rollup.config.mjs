// Builds @edgeflag/sdk: ESM and CJS for npm (index, core, signing, worker, llm, router), and the minified IIFE for a
// script tag (global `edgeflag`). esbuild transpiles; tsc only type-checks and emits .d.ts.
import { nodeResolve } from "@rollup/plugin-node-resolve";
import json from "@rollup/plugin-json";
import terser from "@rollup/plugin-terser";
import esbuild from "rollup-plugin-esbuild";

const here = new URL(".", import.meta.url).pathname;
const plugins = () => [
  nodeResolve({ browser: true, exportConditions: ["browser", "worker", "import", "default"] }),
  json({ preferConst: true }),
  esbuild({ target: "es2022", tsconfig: `${here}../tsconfig.json` }),
];
// In the script tag nothing outside reads these properties: they belong to objects the bundle
// makes and reads itself (the config source, the compiled flags, the guard's options and
// results), so terser shortens them there. Never list an option, an event or config field, a JWK
// or header member, anything a host page or the wire sees, or a field persisted in storage.
// (Names that are also DOM or built-in properties, such as `active` or `results`, are kept by
// terser whatever the list says.)
const INTERNAL_PROPERTIES = [
  "verifyInitial", "fetchLatest", "settled", "getJson", "compiled", "verified", // client parts
  "accepted", "current", "checkPayload", "minVersion", "maxBytes", // ConfigGuardCore, VerifyConfigOptions
  "timed", "traffic", "lo", "hi", "fullTraffic", "boundaries", // compiled flags
  "major", "minor", "patch", "prerelease", // SemVer
  "onHidden", "online", "page", "flying", "beacon", // PageHooks (the HTTP sink's page: not part of EventSink)
];
// Runtime dependencies stay imports in the npm builds; config-schema is ours and is bundled.
const external = (id) => id === "jose" || id.startsWith("jose/") || id.startsWith("@cfworker/") || id === "redos-detector";

export default [
  {
    input: { index: `${here}src/index.ts`, core: `${here}src/core/index.ts`, signing: `${here}src/signing/index.ts`, worker: `${here}src/client/worker/index.ts`, llm: `${here}src/llm/index.ts`, router: `${here}src/router/index.ts` },
    external,
    plugins: plugins(),
    // No empty imports of transitive chunks in the entries: with "sideEffects" set, bundlers warn
    // about them, and the chunks they name are imported where they are used anyway.
    output: [
      { dir: `${here}dist`, format: "es", entryFileNames: "[name].mjs", chunkFileNames: "chunks/[name]-[hash].mjs", hoistTransitiveImports: false },
      { dir: `${here}dist`, format: "cjs", entryFileNames: "[name].cjs", chunkFileNames: "chunks/[name]-[hash].cjs", hoistTransitiveImports: false },
    ],
  },
  {
    input: `${here}src/script-tag.ts`,
    plugins: plugins(),
    output: ["dist/edgeflag.min.js", "../public/sdk/edgeflag.min.js"].map((file) => ({
      file: `${here}${file}`,
      format: "iife",
      name: "edgeflag",
      // The script's own start, for the first-evaluation time (the other mark is in script-tag.ts).
      intro: 'globalThis.performance?.mark("edgeflag:start");',
      plugins: [terser({ ecma: 2020, compress: { passes: 2 }, mangle: { properties: { regex: new RegExp(`^(${INTERNAL_PROPERTIES.join("|")})$`) } }, format: { comments: false } })],
    })),
  },
];
