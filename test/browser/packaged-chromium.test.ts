// `npm install && npm test` on a bare machine: the browser suites fall back to the headless
// Chromium that the @sparticuz/chromium npm package ships. This runs that binary even where
// Debian's Chromium is installed, so every CI run proves the fallback still launches and has the
// Web APIs the SDK needs on an http page.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import packaged from "@sparticuz/chromium";
import { chromium } from "playwright-core";
import { afterAll, expect, test } from "vitest";
import { CHROMIUM_ARGS } from "../../scripts/lib/chromium-page.ts";

const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>probe</title>"));
await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
afterAll(() => server.close());

test("the npm-shipped Chromium launches and has sendBeacon, crypto.subtle and localStorage", async () => {
  const browser = await chromium.launch({ executablePath: await packaged.executablePath(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const apis = await page.evaluate(() => ({
      beacon: typeof navigator.sendBeacon,
      subtle: typeof crypto.subtle?.verify,
      storage: (localStorage.setItem("k", "v"), localStorage.getItem("k")),
    }));
    expect(apis).toEqual({ beacon: "function", subtle: "function", storage: "v" });
    expect(browser.version()).toMatch(/^\d+\./);
  } finally {
    await browser.close();
  }
});
