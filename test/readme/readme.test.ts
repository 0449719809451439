// README.md as a new user meets it: every shell command in it runs, in order, in a fresh copy of
// the repository with `npm start`'s Worker up, and prints what its comment says; every JSON block
// is a valid config or config fragment. A command the README shows that is not run here must be
// in SKIPPED with the reason, and every entry of SKIPPED must still be in the README.
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { validate } from "@edgeflag/config-schema";
import { readBlocks, readCommands, readInlineCommands, type Command } from "./blocks.ts";

const README = readFileSync("README.md", "utf8");
const blocks = readBlocks(README);
const commands = blocks.filter((b) => b.lang === "sh").flatMap(readCommands);
/** Inline `curl` and `npx edgeflag` commands run after the blocks; `npm …` ones are in COVERED. */
const inline = readInlineCommands(README);
const inlineRun = inline.filter((c) => !c.script.startsWith("npm "));

/**
 * The npm commands the prose names, each with the test file that runs it (checked to name the
 * script), or a reason it is not run here.
 */
const COVERED: Record<string, { file: string; names: string } | { reason: string }> = {
  "npm install": { reason: "CI's npm ci installs before npm test; the copy here shares that install" },
  "npm start": { file: "test/readme/readme.test.ts", names: 'spawn("npm", ["start"]' },
  "npm test": { reason: "this test is part of npm test" },
  "npm run build": { file: "scripts/test.mjs", names: "scripts/build.mjs" },
  "npm run size": { file: "test/repo.test.ts", names: "scripts/size.mjs" },
  "npm run check:package": { file: "test/repo.test.ts", names: "node_modules/.bin/attw" },
  "npm run gen:types": { file: "test/repo.test.ts", names: "generateTypes" },
  "npm run cf-typegen": { file: "test/repo.test.ts", names: "cf-typegen" },
  "npm run gen:vectors": { reason: "re-signing makes new signatures each run; the vectors' expected values are checked by every runtime's suite" },
  "npm run gen:stats-fixtures": { reason: "needs Debian's python3-scipy; the fixtures it wrote are committed and checked by analysis/test" },
  "npm run bench": { reason: "the benchmarks take minutes and print figures, not verdicts" },
};

/** Commands shown but not run by this test, and why. */
const SKIPPED: Record<string, string> = {
  "npm test": "this test is part of npm test",
};

const START = "npm install && npm start";
// The copy is <tmp>/edgeflag, so the README's `../my-app` lands inside the temporary folder too.
const sandbox = mkdtempSync(join(tmpdir(), "edgeflag-readme-"));
const copy = join(sandbox, "edgeflag");
let port = 0;
let server: ChildProcess | null = null;
let serverLog = "";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The files git would clone (tracked, and new ones not ignored), with the installed node_modules. */
function copyRepository(): void {
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { encoding: "utf8", maxBuffer: 64 << 20 }).split("\0").filter(Boolean);
  for (const file of files) {
    mkdirSync(join(copy, dirname(file)), { recursive: true });
    cpSync(file, join(copy, file), { dereference: false, errorOnExist: false });
  }
  symlinkSync(join(process.cwd(), "node_modules"), join(copy, "node_modules"));
}

/** What bash sees: the README's URLs point at this test's Worker. */
function localize(script: string): string {
  return script.replaceAll("127.0.0.1:8787", `127.0.0.1:${port}`).replaceAll("https://flags.example.com", `http://127.0.0.1:${port}`);
}

function env(): NodeJS.ProcessEnv {
  const token = (() => {
    try {
      return readFileSync(join(copy, ".edgeflag/dev-admin-token"), "utf8").trim();
    } catch {
      return "";
    }
  })();
  return { ...process.env, PATH: `${join(copy, "node_modules/.bin")}:${process.env.PATH}`, PORT: String(port), EDGEFLAG_ADMIN_TOKEN: token, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" };
}

function runBash(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("bash", ["-c", `set -eo pipefail\n${script}`], { cwd: copy, env: env(), timeout: 90_000, maxBuffer: 32 << 20 }, (e, stdout, stderr) =>
      resolve({ code: e ? (typeof e.code === "number" ? e.code : 1) : 0, stdout, stderr }),
    );
  });
}

async function startWorker(): Promise<void> {
  // `npm install` is what CI's `npm ci` did before this run; the copy shares its node_modules.
  server = spawn("npm", ["start"], { cwd: copy, env: env(), stdio: ["ignore", "pipe", "pipe"], detached: true });
  server.stdout!.on("data", (d) => (serverLog += d));
  server.stderr!.on("data", (d) => (serverLog += d));
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`npm start exited ${server.exitCode}:\n${serverLog}`);
    if (await fetch(`http://127.0.0.1:${port}/.well-known/jwks.json`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`npm start did not answer within 150 s:\n${serverLog}`);
}

/** The JSON a comment promises (`# {...}` or `# 202 {...}`), or undefined when it promises none. */
function promisedJson(comment: string): unknown {
  const m = /^(?:\d{3}\s+)?([{[][\s\S]*)$/.exec(comment.trim());
  return m ? JSON.parse(m[1]!) : undefined;
}

/** The JSON blocks the README asks to save, with their file names (from the 4 lines above each block). */
function savedFiles(): { name: string; block: (typeof blocks)[number] }[] {
  const lines = README.split("\n");
  return blocks.flatMap((block) => {
    const before = lines.slice(Math.max(0, block.line - 5), block.line - 1).join("\n");
    const name = [...before.matchAll(/Save this as `([\w.-]+)`/g)].at(-1)?.[1];
    return block.lang === "json" && name ? [{ name, block }] : [];
  });
}

beforeAll(async () => {
  port = await freePort();
  copyRepository();
  // A JSON block the README introduces with "Save this as `name`" is that file for its commands
  // (the first is "A flag config"'s flags.json).
  for (const { name, block } of savedFiles()) writeFileSync(join(copy, name), block.text + "\n");
}, 120_000);

afterAll(async () => {
  if (server?.pid && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((r) => server!.once("exit", r));
    process.kill(-server.pid, "SIGINT");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (server.exitCode === null) process.kill(-server.pid, "SIGKILL");
  }
  rmSync(sandbox, { recursive: true, force: true });
});

describe("README.md", () => {
  test("every JSON block is a valid config, or a fragment that makes the README's config valid", () => {
    const base = JSON.parse(readFileSync(join(copy, "flags.json"), "utf8"));
    for (const block of blocks.filter((b) => b.lang === "json")) {
      const text = block.text.trim();
      const value = text.startsWith("{") ? JSON.parse(text) : JSON.parse(`{${text}}`);
      const config = "flags" in value ? value : { flags: Object.fromEntries(Object.entries(base.flags).map(([k, f]) => [k, { ...(f as object), ...value }])) };
      const result = validate(config);
      expect({ line: block.line, errors: result.valid ? [] : result.errors }).toEqual({ line: block.line, errors: [] });
    }
  });

  test("the README saves flags.json first, and each file it saves once", () => {
    const names = savedFiles().map((f) => f.name);
    expect(names[0]).toBe("flags.json");
    expect(new Set(names).size).toBe(names.length);
  });

  test("SKIPPED names only commands the README still shows", () => {
    for (const skipped of Object.keys(SKIPPED)) expect(commands.map((c) => c.script)).toContain(skipped);
  });

  test("every npm command the prose names is run by a named test, or says why not", () => {
    const named = [...new Set(inline.filter((c) => c.script.startsWith("npm ")).map((c) => c.script))];
    expect(named.filter((n) => !(n in COVERED))).toEqual([]);
    for (const name of named) {
      const cover = COVERED[name]!;
      if ("file" in cover) expect(readFileSync(cover.file, "utf8")).toContain(cover.names);
    }
    const script = (n: string) => n.replace(/^npm run /, "");
    const scripts = JSON.parse(readFileSync("package.json", "utf8")).scripts;
    for (const name of named.filter((n) => n.startsWith("npm run "))) expect(scripts).toHaveProperty([script(name)]);
  });

  test.each(commands.map((c) => [`line ${c.line}: ${c.script.split("\n")[0]}`, c] as [string, Command]))("%s", async (_name, command) => {
    if (command.script in SKIPPED) return;
    if (command.script === START) return startWorker();
    const r = await runBash(localize(command.script));
    expect({ code: r.code, stderr: r.code === 0 ? "" : r.stderr }).toEqual({ code: 0, stderr: "" });
    const promised = promisedJson(command.comment);
    if (promised !== undefined) expect(JSON.parse(r.stdout)).toMatchObject(promised as object);
  }, 180_000);

  test.each(inlineRun.map((c) => [`line ${c.line} (inline): ${c.script}`, c] as [string, Command]))("%s", async (_name, command) => {
    const r = await runBash(localize(command.script));
    expect({ code: r.code, stderr: r.code === 0 ? "" : r.stderr }).toEqual({ code: 0, stderr: "" });
  }, 60_000);

  test("Ctrl-C on npm start drains the local events queue: every event answered 202 is stored", async () => {
    const now = Date.now();
    const batches = Array.from({ length: 4 }, (_, b) =>
      Array.from({ length: 500 }, (_, i) => ({ id: crypto.randomUUID(), type: "custom", env: "drain-test", ts: now, subject: `s-${b}-${i}`, name: "copied", value: 1 })),
    );
    const answers = await Promise.all(batches.map((events) => fetch(`http://127.0.0.1:${port}/v1/events`, { method: "POST", body: JSON.stringify(events) }).then((r) => r.json() as Promise<{ accepted: number }>)));
    const accepted = answers.reduce((n, a) => n + a.accepted, 0);
    expect(accepted).toBe(2000);
    const exited = new Promise((r) => server!.once("exit", r));
    process.kill(-server!.pid!, "SIGINT"); // what a terminal's Ctrl-C does: the whole foreground group
    await exited;
    const stored = await runBash(`wrangler d1 execute DB --local --json --command "SELECT COUNT(*) AS n FROM events WHERE env = 'drain-test'"`);
    expect(stored.code).toBe(0);
    expect(JSON.parse(stored.stdout)[0].results[0].n).toBe(accepted);
  }, 120_000);
});
