// What a person sees from the CLI: counts read as English, a closed pipe is no error, and names
// that exist on every object are not commands.
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { signConfig } from "@edgeflag/sdk/signing";
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

describe("user errors and stored text never reach the terminal raw", () => {
  test("verify of a config whose exp is 9e12 exits 0 and says when it expires, no RangeError", async () => {
    const keys = join(dir, "keys");
    expect((await edgeflag(["keys", "generate", "--out", keys])).code).toBe(0);
    const key = JSON.parse(await readFile(join(keys, "private.jwk"), "utf8"));
    const config = { flags: { f: { enabled: true, defaultVariant: "on", variants: { on: { value: true } }, allocations: [] } } };
    // 9e12 s lies past year 275760, JavaScript's last date.
    await writeFile(join(dir, "far.jws"), await signConfig(config, { key, env: "e", version: 1, ttlSeconds: 9e12 }));
    const r = await edgeflag(["verify", join(dir, "far.jws"), "--keys", join(keys, "jwks.json"), "--env", "e"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(/^verified: env e, version 1, signed by \S+ \(ES256\), expires at \d+ s since the epoch \(past year 275760\)\n/);
  });

  test("--keys <url> answering HTML exits 1 with a sentence, no SyntaxError", async () => {
    const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>not keys</html>"));
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
      const r = await edgeflag(["verify", "-", "--keys", url, "--env", "e"], { input: "x.y.z" });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^edgeflag verify: ${url.replaceAll(".", "\\.")} did not answer JSON: Unexpected token`));
      expect(r.stderr).not.toContain("SyntaxError");
    } finally {
      server.close();
    }
  });

  test("a flag key with ESC, BEL and CR is shown escaped in validate's errors", async () => {
    await writeFile(join(dir, "escape.json"), JSON.stringify({ flags: { "x\u001b]0;pwned\u0007\rforged": { enabled: true } } }));
    const r = await edgeflag(["validate", join(dir, "escape.json")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("x\\u001b]0;pwned\\u0007\\rforged");
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  test("history shows a stored actor and reason with ESC, BEL, CR and LF escaped, in one row; no actor header is sent", async () => {
    const forged = "\u001b]0;pwned\u0007\r\nv99 forged row";
    const seen: Array<string | undefined> = [];
    const versions = [{ version: 2, at: "2026-12-03T10:00:00.000Z", actor: `ana${forged}`, action: "publish", reason: forged }, { version: 1, at: "2026-12-03T09:00:00.000Z", actor: "bootstrap", action: "publish" }];
    const server = createServer((req, res) => {
      seen.push(req.headers["x-edgeflag-actor"] as string | undefined);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ env: "e", latest: 2, versions }));
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const r = await edgeflag(["history", "--env", "e", "--url", url, "--token", "t"]);
      expect(r).toMatchObject({ code: 0, stderr: "" });
      const escaped = "\\u001b]0;pwned\\u0007\\r\\nv99 forged row";
      expect(r.stdout.split("\n")).toEqual([
        `version  at                        actor${" ".repeat(escaped.length + 3 - 5)}  action   reason`,
        `*2       2026-12-03T10:00:00.000Z  ana${escaped}  publish  ${escaped}`,
        ` 1       2026-12-03T09:00:00.000Z  bootstrap${" ".repeat(escaped.length + 3 - 9)}  publish`,
        "",
      ]);
      expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(seen).toEqual([undefined]);
      const declared = await edgeflag(["history", "--env", "e", "--url", url, "--token", "t", "--actor", "mallory"]);
      expect(declared.code).toBe(1);
      expect(declared.stderr).toMatch(/^edgeflag history: --actor is for the KV paths: through --url the Worker records the token's name/);
    } finally {
      server.close();
    }
  });

  test("tokens: a wrong subcommand, a missing --name or a bad --role is a usage error, before any request", async () => {
    const where = ["--url", "http://127.0.0.1:9", "--token", "t"];
    const cases: Array<[string[], string]> = [
      [["tokens", "frob", ...where], 'edgeflag tokens: unknown tokens command "frob"'],
      [["tokens", "create", ...where], "edgeflag tokens: --name is required"],
      [["tokens", "revoke", ...where], "edgeflag tokens: --name is required"],
      [["tokens", "create", "--name", "ana", "--role", "owner", ...where], 'edgeflag tokens: --role must be admin or read, not "owner"'],
      [["tokens", "list", "--url", "http://127.0.0.1:9"], "edgeflag tokens: --url needs --token (or EDGEFLAG_ADMIN_TOKEN)"],
    ];
    for (const [args, message] of cases) {
      const r = await edgeflag(args, { env: { EDGEFLAG_ADMIN_TOKEN: "" } });
      expect([r.code, r.stderr.split("\n")[0]], args.join(" ")).toEqual([1, message]);
    }
  });
});

test("router-keys: a wrong subcommand, a missing --name or --env is a usage error, before any request", async () => {
  const where = ["--url", "http://127.0.0.1:9", "--token", "t"];
  const cases: Array<[string[], string]> = [
    [["router-keys", "frob", ...where], 'edgeflag router-keys: unknown router-keys command "frob"'],
    [["router-keys", "create", "--env", "development", ...where], "edgeflag router-keys: --name is required"],
    [["router-keys", "create", "--name", "app", ...where], "edgeflag router-keys: --env is required"],
    [["router-keys", "revoke", ...where], "edgeflag router-keys: --name is required"],
    [["router-keys", "list", "--url", "http://127.0.0.1:9"], "edgeflag router-keys: --url needs --token (or EDGEFLAG_ADMIN_TOKEN)"],
  ];
  for (const [args, message] of cases) {
    const r = await edgeflag(args, { env: { EDGEFLAG_ADMIN_TOKEN: "" } });
    expect([r.code, r.stderr.split("\n")[0]], args.join(" ")).toEqual([1, message]);
  }
});

test("publish refuses a catastrophic pattern before it touches any store (exit 1, the pointer)", async () => {
  const config = { flags: { f: { enabled: true, defaultVariant: "off", variants: { on: { value: true }, off: { value: false } }, allocations: [{ key: "a", rules: [{ conditions: [{ attribute: "name", operator: "matches", value: "^(a+)+$" }] }], splits: [{ variant: "on", weight: 1 }] }] } } };
  await writeFile(join(dir, "redos.json"), JSON.stringify(config));
  const r = await edgeflag(["publish", join(dir, "redos.json"), "--env", "e", "--local", "--persist-to", join(dir, "no-state"), "--dry-run"]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("/flags/f/allocations/0/rules/0/conditions/0/value: pattern can backtrack catastrophically");
});
