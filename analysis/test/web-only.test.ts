// @edgeflag/analysis runs wherever its callers do (workerd, Node, Deno, a browser dashboard):
// its sources import nothing from Node and no package but the contracts.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, test } from "vitest";

const SRC = "analysis/src";
const sources = async (): Promise<string[]> => (await readdir(SRC, { recursive: true })).filter((f) => f.endsWith(".ts")).map((f) => join(SRC, f));

test("analysis/src imports only itself and @edgeflag/config-schema, and uses no Node global", async () => {
  const files = await sources();
  expect(files.length).toBeGreaterThan(10);
  for (const file of files) {
    const text = await readFile(file, "utf8");
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/gm)].map((m) => m[1]!);
    for (const s of specifiers) expect([file, s.startsWith("./") || s.startsWith("../") || s === "@edgeflag/config-schema"]).toEqual([file, true]);
    expect([file, /\b(process|Buffer|require|__dirname)\b[.(]/.test(text)]).toEqual([file, false]);
  }
});
