// "The SDK never crashes its host": the hostile session (hostile-record.ts) in a real Node child
// process on the built SDK, in real Deno on the sources, and in a real Chromium page on a bundle
// of the sources. Each must stay alive (exit 0, no page error), hear every change as an
// EVENT_SANITIZED error event, and still deliver every event of the session, made safe.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { launchChromium } from "../../scripts/lib/chromium-page.ts";
import { FlagServer, demoConfig } from "../test/client/flag-server.ts";
import { checkHostile } from "./hostile-record.ts";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const runner = here("./hostile-runner.ts");
let server: FlagServer;
beforeAll(async () => {
  server = await new FlagServer().start();
  await server.publish(demoConfig(), 5);
});
afterAll(() => server.stop());

/** Runs the hostile runner in a child process; its exit code and what it printed. */
async function child(command: string, args: string[]) {
  const r = await promisify(execFile)(command, args, { timeout: 60_000, env: { ...process.env, NO_COLOR: "1" } }).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: "" }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
  return r;
}

test("node: record() of circular, BigInt, 10,000-deep and huge data; the process lives, every event arrives made safe", async () => {
  const dist = here("../dist/index.mjs");
  expect(existsSync(dist), "npm run build first (npm test does)").toBe(true);
  server.events = [];
  const r = await child(process.execPath, [runner, server.url, pathToFileURL(dist).href]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(checkHostile(server.events, JSON.parse(r.stdout))).toBeNull();
});

test("deno: the same session on the sources; the process lives, every event arrives made safe", async () => {
  server.events = [];
  const deno = here("../../node_modules/.bin/deno");
  const r = await child(deno, ["run", "--quiet", "--allow-net=127.0.0.1", "--allow-read", runner, server.url, pathToFileURL(here("../src/index.ts")).href]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(checkHostile(server.events, JSON.parse(r.stdout))).toBeNull();
});

test("chromium: the same session in a page; no page error, the page answers, every event arrives made safe", async () => {
  const entry = `import { createClient, MemoryStorage } from "./src/index.ts";
import { hostileSession } from "./runtime-tests/hostile-record.ts";
globalThis.runHostile = async (baseUrl) => {
  const errors = [];
  const client = createClient({ baseUrl, env: "test", jwksUrl: baseUrl + "/.well-known/jwks.json", storage: new MemoryStorage(), pollIntervalMs: 0, flushIntervalMs: 0, batchSize: 100 });
  client.on("error", (e) => errors.push(e));
  await client.ready();
  await hostileSession(client);
  return errors;
};`;
  const bundle = await build({ stdin: { contents: entry, resolveDir: here(".."), loader: "ts" }, bundle: true, format: "iife", target: "es2022", write: false });
  const browser: Browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    const events: Array<Record<string, unknown>> = [];
    // One origin for the page, the config, the keys and the events: served from here.
    await page.route("http://edgeflag.test/**", async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === "/") return route.fulfill({ contentType: "text/html", body: "<!doctype html><script src='/hostile.js'></script>" });
      if (path === "/hostile.js") return route.fulfill({ contentType: "text/javascript", body: bundle.outputFiles[0]!.text });
      if (path === "/v1/events") {
        events.push(...(JSON.parse(route.request().postData() ?? "[]") as Array<Record<string, unknown>>));
        return route.fulfill({ status: 202, contentType: "application/json", body: "{}" });
      }
      const res = await fetch(server.url + path);
      return route.fulfill({ status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() });
    });
    await page.goto("http://edgeflag.test/");
    const errors = await page.evaluate(() => (globalThis as unknown as { runHostile: (u: string) => Promise<never> }).runHostile("http://edgeflag.test"));
    await page.waitForTimeout(50);
    expect(pageErrors).toEqual([]);
    expect(await page.evaluate(() => 1 + 1)).toBe(2);
    expect(checkHostile(events, errors)).toBeNull();
  } finally {
    await browser.close();
  }
});
