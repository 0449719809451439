// The script-tag SDK in real Chromium against a real local Worker: examples/browser/ served by
// `wrangler dev` (its own state, fresh keys, the demo config published as version 1), events sent
// to a Node sink, and a proxy in front of the Worker to slow down or tamper with configs.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { compileConfig, evaluate } from "@edgeflag/sdk/core";
import { generateSigningKey, signConfig, signKeySet, verifyConfig } from "@edgeflag/sdk/signing";
import { readFileSync } from "node:fs";
import type { EdgeflagClient } from "../../sdk-js/src/client/client.ts";
import { launchChromium, probedContext, readProbe, waitForRender } from "../../scripts/lib/chromium-page.ts";
import { startConfigProxy, type ConfigProxy } from "../../scripts/lib/config-proxy.ts";
import { startDemoWorker, type DemoWorker } from "../../scripts/lib/demo-worker.ts";
import { startEventSink, type EventSink, type SinkEvent } from "../../scripts/lib/event-sink.ts";

// The global of the IIFE, as seen inside page.evaluate().
declare const edgeflag: { client: EdgeflagClient };

const PAGE = "/examples/browser/";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let worker: DemoWorker;
let sink: EventSink;
let proxy: ConfigProxy;
let browser: Browser;

beforeAll(async () => {
  [worker, sink, browser] = await Promise.all([startDemoWorker(), startEventSink(), launchChromium()]);
  proxy = await startConfigProxy(worker.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await sink?.close();
  await worker?.stop();
});

/** The page's subject: the client has no getter for it, an assignment carries it. */
const subjectOf = (page: import("playwright-core").Page) => page.evaluate(() => edgeflag.client.evaluate("chat-model", null).subject);
const ofSubject = (events: SinkEvent[], subject: string) => events.filter((e) => e.subject === subject);
const shownVariant = (page: import("playwright-core").Page) => page.locator("#chat").getAttribute("data-variant");

describe("script tag in Chromium against wrangler dev", () => {
  test("a. verifies the signed config and shows the variant the core gives for the page's subject", async () => {
    const context = await probedContext(browser, sink.url);
    const page = await context.newPage();
    const failed: string[] = [];
    page.on("response", (r) => void (r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`)));
    await page.goto(worker.url + PAGE);
    const probe = await waitForRender(page, "network");
    expect(probe.ready).toEqual({ ok: true, version: 1, source: "network" });
    expect(failed).toEqual([]); // no missing favicon, no failed request of any kind
    // Trust is the dev root the page pins: the key set is read, the host's JWKS never.
    expect(await page.locator("script[data-root-key]").getAttribute("data-root-key")).toBe(worker.rootKey);
    expect(probe.renders[0]!.from).toBe("network"); // a cold load shows nothing unverified first

    const subject = await subjectOf(page);
    expect(subject).toMatch(/^anon-/);
    const jws = await (await fetch(`${worker.url}/v1/configs/${worker.env}`)).text();
    const { config, version } = await verifyConfig(jws, { keys: worker.jwks as never, env: worker.env });
    expect(version).toBe(1);
    const compiled = compileConfig(config);
    const model = evaluate(compiled, "chat-model", { subject }, null);
    expect(model.variant).not.toBeNull();
    expect(await shownVariant(page)).toBe(model.variant);
    const value = model.value as { provider: string; model?: string };
    await expect.poll(() => page.locator("#model").textContent()).toContain(value.provider === "fixed" ? "Fixed answer" : `${value.provider} · ${value.model}`);
    const newUi = evaluate(compiled, "new-chat-ui", { subject }, false).value;
    expect(await page.locator("#chat").evaluate((el) => el.classList.contains("new-ui"))).toBe(newUi);
    expect(await page.locator("#ui").textContent()).toBe(newUi ? "new" : "classic");
    await context.close();
  });

  test("b. 👍 then closing the page delivers the feedback and the exposure with sendBeacon", async () => {
    const context = await probedContext(browser, sink.url);
    const page = await context.newPage();
    await page.goto(worker.url + PAGE);
    await waitForRender(page, "network");
    const subject = await subjectOf(page);
    const variant = await shownVariant(page);
    await page.click('[data-edgeflag-feedback="up"]');
    await page.close({ runBeforeUnload: true });

    const events = ofSubject(await sink.waitFor((all) => ofSubject(all, subject).some((e) => e.type === "feedback")), subject);
    const feedback = events.find((e) => e.type === "feedback")!;
    expect(feedback).toMatchObject({ type: "feedback", rating: "up", flag: "chat-model", variant, env: "development", subject });
    expect(feedback.id).toMatch(UUID);
    expect(feedback.assignmentId).toMatch(UUID);
    const exposure = events.find((e) => e.type === "exposure" && e.flag === "chat-model");
    expect(exposure).toMatchObject({ variant, allocation: "model-experiment", version: 1, env: "development", assignmentId: feedback.assignmentId });
    const delivery = sink.deliveries.find((d) => d.events.some((e) => e.id === feedback.id))!;
    expect(delivery.contentType).toMatch(/^text\/plain/);
    expect(delivery.fetchMode).toBe("no-cors"); // navigator.sendBeacon; fetch() would be "cors"
    expect(delivery.events.map((e) => e.type).sort()).toEqual(["exposure", "feedback"]);
    await context.close();
  });

  test("c. events queued while the sink is down are delivered after a reload, once per id", async () => {
    const context = await probedContext(browser, sink.url);
    const page = await context.newPage();
    sink.status = 503;
    try {
      await page.goto(worker.url + PAGE);
      await waitForRender(page, "network");
      const subject = await subjectOf(page);
      await page.click('[data-edgeflag-feedback="down"]');
      await page.evaluate(() => edgeflag.client.flush()); // fetch → 503: kept for a retry
      // A backoff retry may already have been refused too: count each id once.
      const refused = [...new Map(sink.deliveries.filter((d) => d.status === 503).flatMap((d) => ofSubject(d.events, subject)).map((e) => [e.id, e])).values()];
      expect(refused.map((e) => e.type).sort()).toEqual(["exposure", "feedback"]);

      await page.reload(); // the sink is still down while the page goes and comes back
      await waitForRender(page, "cache");
      sink.status = 202;
      const ids = refused.map((e) => e.id);
      await sink.waitFor((all) => ids.every((id) => all.some((e) => e.id === id)), 20_000);
      await page.close({ runBeforeUnload: true });
      await new Promise((ok) => setTimeout(ok, 500)); // a late beacon would show up here
      const accepted = ofSubject(sink.accepted(), subject);
      for (const id of ids) expect(accepted.filter((e) => e.id === id)).toHaveLength(1);
      expect(new Set(accepted.map((e) => e.id)).size).toBe(accepted.length);
    } finally {
      sink.status = 202;
      await context.close();
    }
  });

  test("d. with a cached config the value is shown before the first network response", async () => {
    const context = await probedContext(browser, sink.url);
    try {
      const first = await context.newPage();
      await first.goto(proxy.url + PAGE);
      const variant = (await waitForRender(first, "network")).renders.at(-1)!.variant;
      await first.close();

      proxy.delayMs = 2000;
      const seen = proxy.configRequests.length;
      const page = await context.newPage();
      await page.goto(proxy.url + PAGE, { waitUntil: "domcontentloaded" });
      const probe = await readProbe(page);
      const render = probe.renders[0]!;
      expect(render).toMatchObject({ from: "cache", variant, configResponses: 0 });
      expect(proxy.configRequests.slice(seen).every((r) => r.answeredAt === null)).toBe(true);
      expect(render.at).toBeLessThan(2000);
      console.log(`time to first evaluation from cache: ${render.at.toFixed(1)} ms after navigation start (config response held back 2000 ms)`);

      await page.waitForFunction(() => (window as unknown as { __probe: { ready: unknown } }).__probe.ready !== null);
      const ready = await readProbe(page);
      expect(ready.ready).toEqual({ ok: true, version: 1, source: "cache" });
      expect(ready.readyAt!).toBeLessThan(2000); // verified from the cache, without waiting for the network
      await expect.poll(() => proxy.configRequests.slice(seen).some((r) => r.answeredAt !== null), { timeout: 10_000 }).toBe(true);
      expect(await shownVariant(page)).toBe(variant);
    } finally {
      proxy.delayMs = 0;
      await context.close();
    }
  });

  test("e. a tampered config is refused with SIGNATURE_INVALID and version 1 stays in use", async () => {
    const context = await probedContext(browser, sink.url);
    const page = await context.newPage();
    try {
      await page.goto(proxy.url + PAGE);
      await waitForRender(page, "network");
      const variant = await shownVariant(page);
      proxy.tamper = true;

      const polled = await page.evaluate(async () => {
        const errors: Array<{ code: string }> = [];
        const off = edgeflag.client.on("error", (e) => errors.push(e as { code: string }));
        await edgeflag.client.refresh();
        off();
        return { errors, version: edgeflag.client.version, variant: edgeflag.client.evaluate("chat-model", null).variant };
      });
      expect(proxy.configRequests.at(-1)).toMatchObject({ status: 200, tampered: true });
      expect(polled.errors.map((e) => e.code)).toEqual(["SIGNATURE_INVALID"]);
      expect(polled).toMatchObject({ version: 1, variant });

      await page.reload(); // the cached version 1 is used at once; the tampered answer is refused
      await page.waitForFunction(() => document.getElementById("chat")!.dataset.error !== undefined);
      expect(await page.locator("#chat").getAttribute("data-error")).toBe("SIGNATURE_INVALID");
      expect(await page.evaluate(() => edgeflag.client.version)).toBe(1);
      expect(await shownVariant(page)).toBe(variant);
      expect(await page.locator("#status").textContent()).toBe("Config refused (SIGNATURE_INVALID): still on version 1.");

      const cold = await context.browser()!.newContext(); // no last good config: defaults, never the tampered one
      const fresh = await cold.newPage();
      await fresh.goto(proxy.url + PAGE);
      await fresh.waitForFunction(() => document.getElementById("chat")!.dataset.renderedFrom === "default");
      expect(await fresh.locator("#chat").getAttribute("data-error")).toBe("SIGNATURE_INVALID");
      expect(await fresh.evaluate(() => edgeflag.client.version)).toBeNull();
      await cold.close();
    } finally {
      proxy.tamper = false;
      await context.close();
    }
  });

  test("f. a host that forges the key set (a fresh key, version 99) and a config signed with it is refused: KEY_SET_REFUSED, version 1 stays", async () => {
    const context = await probedContext(browser, sink.url);
    const page = await context.newPage();
    try {
      await page.goto(proxy.url + PAGE);
      await waitForRender(page, "network");
      const variant = await shownVariant(page);
      // Routing turns Chromium's HTTP cache off: the key set is read from the host now, not in 5 minutes (its max-age).
      await page.route("**/*", (route) => route.continue());
      const [forger, fresh] = await Promise.all([generateSigningKey("EdDSA"), generateSigningKey()]);
      proxy.forgedKeySet = await signKeySet({ keys: [fresh.publicJwk] }, { root: forger.privateJwk, version: 99 });
      proxy.forgedConfig = await signConfig(JSON.parse(readFileSync("examples/demo-config.json", "utf8")), { key: fresh.privateJwk, env: worker.env, version: 99 });
      const polled = await page.evaluate(async () => {
        const errors: Array<{ code: string }> = [];
        const off = edgeflag.client.on("error", (e) => errors.push(e as { code: string }));
        await edgeflag.client.refresh();
        off();
        return { errors, version: edgeflag.client.version, variant: edgeflag.client.evaluate("chat-model", null).variant };
      });
      expect(polled.errors.map((e) => e.code)).toEqual(["KEY_SET_REFUSED"]);
      expect(polled).toMatchObject({ version: 1, variant });
    } finally {
      proxy.forgedKeySet = proxy.forgedConfig = null;
      await context.close();
    }
  });
});
