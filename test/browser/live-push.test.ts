// Live push in real Chromium against `wrangler dev`: the script tag with data-live (trust pinned
// by data-root-key, polling at its default 60 s) holds a WebSocket to the env's ConfigWriter and
// evaluates each admin-API rollback within 2 s of the rollback's response.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import type { EdgeflagClient } from "../../sdk-js/src/client/client.ts";
import { launchChromium } from "../../scripts/lib/chromium-page.ts";
import { startDemoWorker, type DemoWorker } from "../../scripts/lib/demo-worker.ts";
import { FLAG, publishOnOff, rollbackSeen } from "../../scripts/lib/live-push.ts";

// The demo Worker serves env "development", the env examples/browser/ names.
// The global of the IIFE, as seen inside page.evaluate().
declare const edgeflag: { client: EdgeflagClient | null };

let worker: DemoWorker;
let browser: Browser;

beforeAll(async () => {
  [worker, browser] = await Promise.all([startDemoWorker(), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

describe("live push to the script tag in Chromium", () => {
  test("data-live: each rollback is evaluated within 2 s of its response, over one WebSocket", async () => {
    const { on, off } = await publishOnOff(worker);
    const page = await browser.newPage();
    const sockets: string[] = [];
    page.on("websocket", (ws) => void sockets.push(ws.url()));
    // The example page the Worker serves (a real response: Chromium's local-network checks refuse a
    // WebSocket to 127.0.0.1 from a page playwright made up), its SDK tag given data-live before it runs.
    await page.addInitScript(() => {
      new MutationObserver((records) => {
        for (const r of records) for (const node of r.addedNodes) if (node instanceof HTMLScriptElement && node.src.endsWith("/sdk/edgeflag.min.js")) node.dataset.live = "";
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${worker.url}/examples/browser/`);
    await page.waitForFunction((v) => edgeflag.client?.version === v, off);
    const value = () => page.evaluate((flag) => edgeflag.client!.getBoolean(flag, false), FLAG);
    expect(await value()).toBe(false);
    const figures: number[] = [];
    for (const [i, to] of [on, off, on].entries()) {
      const want = to === on;
      const { version, ms } = await rollbackSeen(worker, to, async () => (await value()) === want);
      expect(version).toBe(off + 1 + i);
      expect(await page.evaluate(() => edgeflag.client!.version)).toBe(version);
      figures.push(ms);
      expect(ms).toBeLessThan(2000);
    }
    console.log(`live push, Chromium: rollback response → page evaluates the new config in ${figures.map((ms) => `${Math.round(ms)} ms`).join(", ")}`);
    expect(sockets).toEqual([`${worker.url.replace("http", "ws")}/v1/configs/${worker.env}/live`]);
    await page.close();
  }, 60_000);
});
