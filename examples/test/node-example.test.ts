// examples/node/main.mjs, run by Node (this process's, which strips TypeScript types from the
// SDK sources it imports as "@edgeflag/sdk") against a real local server.
import { execFile } from "node:child_process";
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
