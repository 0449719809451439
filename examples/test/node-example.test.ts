// examples/node/main.mjs, run by Node (this process's, which strips TypeScript types from the
// SDK sources it imports as "@edgeflag/sdk") against a real local server; then as its header says
// (`npx node …`, the project's Node); then as a user's app runs it: the built package
// (sdk-js/dist, what `npm pack` ships) path-installed, on the system's Node when there is one.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, expect, test } from "vitest";
import type { FlagServer } from "../../sdk-js/test/client/flag-server.ts";
import { EXPECTED_OUTPUT, expectDemoEvents, startDemoServer } from "./demo-server.ts";

const script = fileURLToPath(new URL("../node/main.mjs", import.meta.url));
const run = (args: string[], env: Record<string, string> = {}) =>
  promisify(execFile)(process.execPath, [script, ...args], { timeout: 30_000, env: { ...process.env, NO_COLOR: "1", ...env } });

let server: FlagServer;
beforeEach(async () => {
  server = await startDemoServer();
});
afterEach(() => server.stop());

test("with arguments: one line per subject, and every event delivered", async () => {
  const { stdout, stderr } = await run([server.url, "development", `${server.url}/.well-known/jwks.json`]);
  expect(stdout).toBe(EXPECTED_OUTPUT);
  expect(stderr).toBe("");
  expectDemoEvents(server);
});

test("with environment variables (the JWKS URL derived from the base URL)", async () => {
  const { stdout } = await run([], { EDGEFLAG_BASE_URL: server.url, EDGEFLAG_ENV: "development" });
  expect(stdout).toBe(EXPECTED_OUTPUT);
  expectDemoEvents(server);
});

const root = fileURLToPath(new URL("../../", import.meta.url));

test("as its header says: `npx node examples/node/main.mjs` from the repository", async () => {
  expect(readFileSync(script, "utf8")).toContain("//   npx node examples/node/main.mjs [baseUrl] [env] [jwksUrl]");
  const { stdout } = await promisify(execFile)("npx", ["node", "examples/node/main.mjs", server.url, "development"], { cwd: root, timeout: 60_000, env: { ...process.env, NO_COLOR: "1" } });
  expect(stdout).toBe(EXPECTED_OUTPUT);
  expectDemoEvents(server);
});

/** A `node` on PATH outside any node_modules (the system's), else this process's. */
function systemNode(): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir.includes("node_modules") && existsSync(join(dir, "node"))) return join(dir, "node");
  }
  return process.execPath;
}

test("in one's own app: sdk-js/dist path-installed as @edgeflag/sdk runs the example on the system's Node", async () => {
  const dist = join(root, "sdk-js/dist");
  if (!existsSync(join(dist, "package.json"))) throw new Error("sdk-js/dist is missing: run `npm run build` (npm test does)");
  const app = mkdtempSync(join(tmpdir(), "edgeflag-app-"));
  try {
    cpSync(dist, join(app, "node_modules/@edgeflag/sdk"), { recursive: true });
    // The package's own dependencies, as `npm install` would bring them.
    for (const dep of ["jose", "@cfworker/json-schema"]) {
      mkdirSync(dirname(join(app, "node_modules", dep)), { recursive: true });
      symlinkSync(join(root, "node_modules", dep), join(app, "node_modules", dep), "dir");
    }
    cpSync(script, join(app, "main.mjs"));
    const { stdout } = await promisify(execFile)(systemNode(), ["main.mjs", server.url, "development"], { cwd: app, timeout: 30_000, env: { ...process.env, NO_COLOR: "1" } });
    expect(stdout).toBe(EXPECTED_OUTPUT);
    expectDemoEvents(server);
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
});
