// temp experiment: terser options on the unminified IIFE
import { rollup } from "rollup";
import { minify } from "terser";
import { gzipSync } from "node:zlib";
import config from "../sdk-js/rollup.config.mjs";
const c = config[1];
const b = await rollup({ input: c.input, plugins: c.plugins, onwarn() {} });
const { output } = await b.generate({ format: "iife", name: "edgeflag" });
const code = output[0].code;
const INTERNAL = process.env.PROPS;
const variants = JSON.parse(process.env.VARIANTS);
for (const [name, opts] of Object.entries(variants)) {
  const r = await minify(code, opts);
  console.log(name, gzipSync(r.code, { level: 9 }).length, r.code.length);
  if (process.env.OUT) (await import("node:fs")).writeFileSync(process.env.OUT, r.code);
}
