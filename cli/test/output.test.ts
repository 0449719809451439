// What a person sees from the CLI: counts read as English, a closed pipe is no error, and names
// that exist on every object are not commands.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { edgeflag } from "./helpers.ts";

const bin = new URL("../bin/edgeflag.mjs", import.meta.url).pathname;
let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edgeflag-output-"));
  const one = { flags: { f: { enabled: true, defaultVariant: "missing", variants: { on: { value: true } }, allocations: [] } } };
  await writeFile(join(dir, "one-error.json"), JSON.stringify(one));
  // Enough errors that the output fills a pipe several times over.
  const flags = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`f${i}`, { ...one.flags.f }]));
  await writeFile(join(dir, "many-errors.json"), JSON.stringify({ flags }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

test("one error is '1 error', not '1 errors'", async () => {
  const r = await edgeflag(["validate", join(dir, "one-error.json")]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("one-error.json: 1 error\n");
  const evaluated = await edgeflag(["eval", join(dir, "one-error.json"), "--flag", "f", "--subject", "s"]);
  expect(evaluated.code).toBe(1);
  expect(evaluated.stderr).toContain("one-error.json is not a valid config (1 error):\n/flags/f/defaultVariant: ");
});

test("`edgeflag validate --json … | head -1` ends quietly: exit 0, no EPIPE stack trace", async () => {
  const script = `"${process.execPath}" "${bin}" validate "${join(dir, "many-errors.json")}" --json | head -1 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`;
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
    execFile("bash", ["-c", script], (e, stdout, stderr) => (e ? reject(e) : resolve({ stdout, stderr }))),
  );
  // validate exits 1 for an invalid config, unless the reader left first: then 0, never 2.
  expect(stdout.trim()).toMatch(/^exit=[01]$/);
  expect(stderr).toBe("");
});

test.each(["constructor", "__proto__", "toString", "hasOwnProperty"])("`edgeflag %s` is an unknown command (exit 1, a sentence)", async (name) => {
  const r = await edgeflag([name]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`edgeflag: unknown command "${name}"`);
  expect(r.stderr).not.toMatch(/TypeError|at .*\.ts:\d+/);
});
