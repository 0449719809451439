// examples/deno/main.ts, run by real Deno (the `deno` npm package) against a real local server.
// "@edgeflag/sdk" resolves through the repo's npm workspace; the network is the only permission.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "vitest";
import { EXPECTED_OUTPUT, expectDemoEvents, startDemoServer } from "./demo-server.ts";

const deno = fileURLToPath(new URL("../../node_modules/.bin/deno", import.meta.url));
const script = fileURLToPath(new URL("../deno/main.ts", import.meta.url));
const server = await startDemoServer();
afterAll(() => server.stop());

test("one line per subject, and every event delivered", async () => {
  const { stdout, stderr } = await promisify(execFile)(deno, ["run", "--quiet", "--allow-net=127.0.0.1", script, server.url, "development"], {
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: "1" },
  });
  expect(stdout).toBe(EXPECTED_OUTPUT);
  expect(stderr).toBe("");
  expectDemoEvents(server);
});
