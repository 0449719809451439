// The real `edgeflag` binary, spawned as a user runs it.
import { execFile } from "node:child_process";
import { mkdtemp, writeFile, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, test } from "vitest";
import { bucket, compileConfig, evaluate, hashSubject } from "@edgeflag/sdk/core";

const bin = new URL("../bin/edgeflag.mjs", import.meta.url).pathname;
async function edgeflag(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [bin, ...args]).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

let dir = "";
const file = (name: string) => join(dir, name);
const valid = "config-schema/vectors/valid/llm-model-experiment.json";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edgeflag-cli-"));
  await writeFile(file("malformed.json"), '{"flags": {');
  await writeFile(file("invalid.json"), JSON.stringify({ flags: { f: { enabled: true, variants: { a: { value: 1 } }, defaultVariant: "b", allocations: [{ key: "x", splits: [{ variant: "c", weight: 1 }] }] } }, extra: 1 }));
});

describe("edgeflag validate", () => {
  test("exit 0 for a valid config", async () => {
    const r = await edgeflag("validate", valid);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/valid \(\d+ flags?\)/);
  });

  test("exit 1 listing every error with its JSON pointer", async () => {
    const r = await edgeflag("validate", file("invalid.json"));
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n").slice(1).filter(Boolean)).toEqual([
      "/extra: unknown field (not in the v1 schema)",
      '/flags/f/defaultVariant: defaultVariant names "b", which the flag does not define',
      '/flags/f/allocations/0/splits/0/variant: split names variant "c", which the flag does not define',
    ]);
  });

  test("--json prints the errors as data", async () => {
    const r = await edgeflag("validate", file("invalid.json"), "--json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).errors[0]).toEqual({ pointer: "/extra", message: "unknown field (not in the v1 schema)" });
  });

  test("one-line errors for an unreadable file and malformed JSON", async () => {
    const missing = await edgeflag("validate", file("nope.json"));
    expect(missing).toMatchObject({ code: 1, stderr: `edgeflag validate: cannot read ${file("nope.json")}: no such file\n` });
    const malformed = await edgeflag("validate", file("malformed.json"));
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(new RegExp(`^edgeflag validate: ${file("malformed.json")} is not valid JSON: .+\\n$`));
  });
});

describe("edgeflag eval", () => {
  test("gives the same variant as the core, with --json", async () => {
    const config = JSON.parse(await readFile(valid, "utf8"));
    const [flag] = Object.keys(config.flags);
    for (const subject of ["user-1", "user-2", "José", "🚀"]) {
      const r = await edgeflag("eval", valid, "--flag", flag!, "--subject", subject, "--json");
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(evaluate(compileConfig(config), flag!, { subject }))));
    }
  });

  test("--attr values are typed: numbers and booleans as JSON, the rest strings", async () => {
    const cfg = { flags: { f: { enabled: true, defaultVariant: "off", variants: { off: { value: false }, on: { value: true } },
      allocations: [{ key: "a", rules: [{ conditions: [{ attribute: "age", operator: "gte", value: 18 }, { attribute: "beta", operator: "eq", value: true }, { attribute: "country", operator: "eq", value: "FR" }] }], splits: [{ variant: "on", weight: 1 }] }] } } };
    await writeFile(file("attrs.json"), JSON.stringify(cfg));
    const on = await edgeflag("eval", file("attrs.json"), "--flag", "f", "--subject", "u", "--attr", "age=21", "--attr", "beta=true", "--attr", "country=FR");
    expect(on.stdout).toBe("f → on true\nreason TARGETING_MATCH, allocation a, log false\n");
    const off = await edgeflag("eval", file("attrs.json"), "--flag", "f", "--subject", "u", "--attr", "age=21", "--attr", "beta=yes", "--attr", "country=FR");
    expect(off.stdout).toBe("f → off false\nreason DEFAULT, allocation -, log false\n");
  });

  test("an unknown flag, a missing option or an unknown option is a clear error", async () => {
    const unknown = await edgeflag("eval", valid, "--flag", "nope", "--subject", "u");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^edgeflag eval: flag "nope" is not in .+ \(it has: .+\)\n$/);
    expect((await edgeflag("eval", valid, "--subject", "u")).stderr).toMatch(/^edgeflag eval: --flag is required\n/);
    expect((await edgeflag("eval", valid, "--flag", "x", "--subject", "u", "--colour")).stderr).toMatch(/^edgeflag eval: unknown option --colour\n/);
  });

  test("an invalid config is refused with its errors", async () => {
    const r = await edgeflag("eval", file("invalid.json"), "--flag", "f", "--subject", "u");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/flags/f/defaultVariant: defaultVariant names "b"');
  });
});

describe("edgeflag bucket", () => {
  test("--json prints {hash, bucket} as contract 1 defines them", async () => {
    const r = await edgeflag("bucket", "checkout:a1:split", "José", "--json");
    expect(JSON.parse(r.stdout)).toEqual({ hash: hashSubject("checkout:a1:split", "José"), bucket: bucket("checkout:a1:split", "José") });
  });

  test("prints hash and bucket for people; refuses a salt with a dot", async () => {
    expect((await edgeflag("bucket", "s", "")).stdout).toMatch(/^hash {3}\d+ \(0x[0-9a-f]{8}\)\nbucket \d+\n$/);
    const bad = await edgeflag("bucket", "a.b", "u");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^edgeflag bucket: salt "a.b" must be 1 to 128 of/);
  });

  test("every command answers --help; an unknown command exits 1", async () => {
    for (const c of ["validate", "eval", "bucket"]) expect((await edgeflag(c, "--help")).stdout).toMatch(new RegExp(`^edgeflag ${c} `));
    const r = await edgeflag("frobnicate");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^edgeflag: unknown command "frobnicate"/);
  });

  test("runs as `npx edgeflag` in the repo", async () => {
    const { stdout } = await promisify(execFile)("npx", ["--no-install", "edgeflag", "bucket", "s", "u", "--json"]);
    expect(JSON.parse(stdout)).toEqual({ hash: hashSubject("s", "u"), bucket: bucket("s", "u") });
  });
});
