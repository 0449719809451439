// The dashboard in Chromium against a real local Worker (wrangler dev) holding npm start's demo:
// the demo config published as npm start publishes it and a week of demo traffic posted through
// POST /v1/events. Each view shows the numbers the API holds; the actions go through the admin
// routes (a rollback reaches a connected client); a read token sees them disabled and is refused;
// axe-core finds nothing serious; the keyboard reaches every action; screenshots land in
// test-artifacts/dashboard/ at 1280 and 390 px.
import { mkdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createClient } from "../../sdk-js/src/index.ts";
import { diffPaths } from "../../config-schema/src/domain/diff.ts";
import { describeValue, formatOf, fmt, pct, pValue, usd } from "../../dashboard/src/format.ts";
import { launchChromium } from "../../scripts/lib/chromium-page.ts";
import { seedDemoTraffic } from "../../scripts/lib/demo-traffic.ts";
import { startDemoWorker, type DemoWorker } from "../../scripts/lib/demo-worker.ts";
import { axeViolations, numbers, rendered, settled, signIn, tabThrough, view } from "./dashboard-helpers.ts";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;
const ENV = "development";
const ART = "test-artifacts/dashboard";
const VIEWS: [string, string][] = [
  ["envs", "#/"],
  ["flag-chat-model", `#/env/${ENV}/flag/chat-model`],
  ["flag-summary-model", `#/env/${ENV}/flag/summary-model`],
  ["results-chat-model", `#/env/${ENV}/flag/chat-model/results`],
  ["results-summary-model", `#/env/${ENV}/flag/summary-model/results`],
  ["versions", `#/env/${ENV}/versions`],
  ["audit", `#/env/${ENV}/audit`],
];
let worker: DemoWorker;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let readToken = "";

const api = async (path: string, token = worker.token): Promise<Json> => (await fetch(worker.url + path, { headers: { Authorization: `Bearer ${token}` } })).json();

beforeAll(async () => {
  mkdirSync(ART, { recursive: true });
  [worker, browser] = await Promise.all([startDemoWorker({ actor: "npm-start", testScheduled: true }), launchChromium()]);
  await seedDemoTraffic({ url: worker.url, env: ENV, token: worker.token });
  const made = await fetch(`${worker.url}/v1/admin/tokens`, { method: "POST", headers: { Authorization: `Bearer ${worker.token}` }, body: JSON.stringify({ name: "dash-reader", role: "read" }) });
  readToken = ((await made.json()) as { token: string }).token;
  // An offline run posted for chat-model (the committed example results, renamed to this flag), shown beside the online results.
  const offline = { ...JSON.parse(readFileSync("examples/offline/baseline.json", "utf8")), flag: "chat-model" };
  const posted = await fetch(`${worker.url}/v1/admin/offline/${ENV}/chat-model`, { method: "POST", headers: { Authorization: `Bearer ${worker.token}` }, body: JSON.stringify(offline) });
  if (posted.status !== 201) throw new Error(`offline post: ${posted.status} ${await posted.text()}`);
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  await signIn(page, worker.url, worker.token);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

describe("each view shows what the API holds", () => {
  test("envs: version, who, demo label, flags and their rollouts", async () => {
    await view(page, "#/");
    const { envs } = await api("/v1/admin/envs");
    const env = envs.find((e: Json) => e.env === ENV);
    expect(env.demo).toBe(true);
    expect(await page.locator(`[data-env=${ENV}] [data-version]`).textContent()).toBe(String(env.version));
    expect(await page.locator(`[data-env=${ENV}] .demo-badge`).textContent()).toBe("demo data");
    const rollouts = env.flags.flatMap((f: Json) => f.allocations.map((a: Json) => a.rollout));
    expect((await numbers(page, `[data-env=${ENV}] [data-allocation]`)).map((n) => n.value)).toEqual(rollouts);
    const ramp = (await api(`/v1/admin/ramps/${ENV}`)).ramps[0];
    expect(await page.locator(`[data-env=${ENV}] [data-allocation=ramp] .health`).textContent()).toContain(ramp.state.status);
  });

  test("flag: variants readable, allocations, the ramp's stages, guardrails and decisions", async () => {
    await view(page, `#/env/${ENV}/flag/summary-model`);
    const config = JSON.parse(Buffer.from((await (await fetch(`${worker.url}/v1/configs/${ENV}`)).text()).split(".")[1]!, "base64url").toString());
    const flag = config.flags["summary-model"];
    expect(await page.locator("[data-demo]").count()).toBe(1);
    expect(await page.locator("td code").allTextContents()).toEqual(Object.values(flag.variants).map((v: Json) => describeValue(v.value)));
    expect(await page.locator("td code").first().textContent()).toBe("openai-compatible · gpt-4o-mini · maxTokens 300 · at http://127.0.0.1:8790/v1 · key MOCK_LLM_KEY");
    const ramp = (await api(`/v1/admin/ramps/${ENV}`)).ramps.find((r: Json) => r.flag === "summary-model");
    const guard = await numbers(page, "[data-ramp=ramp] table tbody");
    expect(guard.map((n) => n.value)).toEqual(ramp.guardrails.flatMap((g: Json) => [g.estimate, g.margin, g.pValueAdjusted]));
    expect(await page.locator("[data-ramp=ramp] .status").allTextContents()).toEqual(ramp.guardrails.map((g: Json) => g.status));
    expect(await page.locator("ol.stages li").count()).toBe(ramp.stages.length);
    expect(await page.locator("ol.stages li[aria-current=step]").textContent()).toMatch(new RegExp(`^${ramp.stages[ramp.state.stage].rollout / 100}% for at least`));
    expect(await page.locator("[data-ramp=ramp] table").nth(1).locator("tbody tr").count()).toBe(ramp.timeline.length);
  });

  test("results: every comparison's numbers, the variants' metrics, LLM calls, SRM, lift over time", async () => {
    await view(page, `#/env/${ENV}/flag/chat-model/results`);
    const r = await api(`/v1/results/${ENV}/chat-model`);
    const looks = await api(`/v1/results/${ENV}/chat-model/looks`);
    expect(r.status).toBe("ok");
    for (const c of r.comparisons) {
      const row = `tr:has([data-comparison="${c.variant}:${c.metric}"])`;
      const shown = await numbers(page, row);
      const f = formatOf(c.metric);
      const want = [c.absolute.estimate, c.bayes.chanceToBeatControl, c.pValue, c.pValueAdjusted, c.sequential.pValueAdjusted, c.control, c.treatment, c.relative?.estimate ?? null];
      expect(shown.map((n) => n.value), `${c.variant} ${c.metric}`).toEqual(want);
      expect(shown[1]!.text).toBe(pct(c.bayes.chanceToBeatControl));
      expect(shown[2]!.text).toBe(pValue(c.pValue));
      expect(shown[5]!.text).toBe(f(c.control));
    }
    expect(await page.locator("[data-table^=compare] svg.bar").count()).toBe(r.comparisons.length);
    for (const v of r.variants) {
      const row = `[data-table=calls] tr:has(th:text-is("${v.control ? `${v.variant} (control)` : v.variant}"))`;
      const [p50, p95] = await numbers(page, `${row} [data-q^=ttft]`);
      expect([p50!.value, p95!.value, p50!.text]).toEqual([v.ttft.p50, v.ttft.p95, fmt(v.ttft.p50)]);
      const [day] = await numbers(page, `${row} [data-q=cost-per-day]`);
      expect([day!.value, day!.text]).toEqual([v.costPerDay, usd(v.costPerDay)]);
      const shownMetrics = await numbers(page, `${row} [data-metric]`);
      expect(shownMetrics.map((n) => n.value)).toEqual(["latency_ms", "ttft_ms", "input_tokens", "output_tokens", "cached_input_tokens", "reasoning_tokens", "cost_per_call", "fallback_rate", "truncation_rate"].map((k) => v.metrics[k].value));
    }
    expect(await page.locator("[data-srm]").count()).toBe(r.srm.mismatch ? 1 : 0);
    const lift = looks.points.filter((p: Json) => p.metric === "thumbs_up_rate" && p.variant === "gpt-4");
    expect(lift.length).toBeGreaterThanOrEqual(5);
    expect(await page.locator('[data-lift="gpt-4:thumbs_up_rate"] details tbody tr').count()).toBe(lift.length);
    expect(await page.locator('[data-lift="gpt-4:thumbs_up_rate"] svg circle').count()).toBe(lift.length);
  });

  test("results: the flag's offline runs beside the online results, with each paired comparison", async () => {
    await view(page, `#/env/${ENV}/flag/chat-model/results`);
    const { runs } = await api(`/v1/results/${ENV}/chat-model/offline?limit=5`);
    expect(await page.locator("[data-table=offline-runs] tbody tr").count()).toBe(runs.length);
    const evaluators = runs[0].results.comparisons.flatMap((c: Json) => c.evaluators.map((e: Json) => ({ ...e, arm: c.variant })));
    expect(evaluators.length).toBeGreaterThan(0);
    const shown = await page.evaluate(() =>
      [...document.querySelectorAll("[data-table=offline-comparisons] tbody tr")].map((tr) => ({
        key: tr.querySelector("[data-offline]")?.getAttribute("data-offline"),
        estimate: tr.querySelector("[data-field=estimate] [data-value]")?.getAttribute("data-value"),
        holm: tr.querySelector("[data-field=holm] [data-value]")?.getAttribute("data-value"),
        wtl: tr.querySelectorAll("td")[5]?.textContent,
      })),
    );
    expect(shown).toEqual(evaluators.map((e: Json) => ({ key: `${e.arm}:${e.evaluator}`, estimate: String(e.difference.estimate), holm: e.holmPValue === null ? "" : String(e.holmPValue), wtl: `${e.wins} / ${e.ties} / ${e.losses}` })));
  });

  test("versions and audit: one row per version, who and why, and a readable diff", async () => {
    await view(page, `#/env/${ENV}/versions`);
    const history = await api(`/v1/admin/configs/${ENV}/history`);
    expect(await page.locator("[data-table=versions] tbody tr").count()).toBe(history.versions.length);
    expect(await page.locator("[data-table=versions] tbody tr th").allTextContents()).toEqual(history.versions.map((v: Json) => String(v.version)));
    expect(await page.locator("[data-diff]").textContent()).toBe(`Versions ${history.latest} and ${history.latest} serve the same flags.`);
    await view(page, `#/env/${ENV}/audit`);
    const audit = await api(`/v1/admin/audit?env=${ENV}`);
    expect(await page.locator("[data-table=audit] tbody tr td:nth-child(2)").allTextContents()).toEqual(audit.entries.map((e: Json) => e.actor));
  });
});

describe("accessibility, keyboard and screenshots", () => {
  test("axe-core finds no serious or critical violation on any view; screenshots at 1280 and 390 px", async () => {
    for (const [name, hash] of VIEWS) {
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await view(page, hash);
        expect(await axeViolations(page), `${name} at ${width}px`).toEqual([]);
        await page.screenshot({ path: `${ART}/${name}-${width}.png`, fullPage: true });
        if (name.startsWith("results")) await page.screenshot({ path: `${ART}/${name}-${width}-top.png` });
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    // The check can fail: an image without a text alternative is a critical violation.
    await page.evaluate(() => document.getElementById("main")!.append(Object.assign(document.createElement("img"), { src: "data:image/gif;base64,R0lGODlhAQABAAAAACw=" })));
    expect((await axeViolations(page)).map((v) => [v.id, v.impact])).toEqual([["image-alt", "critical"]]);
  });

  test("the keyboard reaches every action; a dialog opens with Enter and closes with Escape", async () => {
    for (const hash of [`#/env/${ENV}/flag/summary-model`, `#/env/${ENV}/flag/chat-model`]) {
      await view(page, hash);
      const actions = await page.locator("main button.act:not([disabled])").count();
      expect(actions).toBeGreaterThan(0);
      await tabThrough(page);
      expect(await page.locator("main button.act:not([disabled]):not([data-tabbed])").count(), hash).toBe(0);
    }
    await page.locator("main button.act:not([disabled])").first().focus();
    await page.keyboard.press("Enter");
    expect(await page.locator("dialog#confirm[open]").count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("reason");
    await page.screenshot({ path: `${ART}/dialog-1280.png` });
    await page.keyboard.press("Escape");
    expect(await page.locator("dialog#confirm[open]").count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.classList.contains("act"))).toBe(true);
  });
});

describe("actions", () => {
  test("a read token sees every action disabled with the reason, and the admin routes refuse it", async () => {
    const reader = await context.browser()!.newContext();
    const p = await reader.newPage();
    try {
      await signIn(p, worker.url, readToken);
      expect(await p.locator("[data-me]").textContent()).toBe("dash-reader · read");
      for (const hash of [`#/env/${ENV}/flag/summary-model`, `#/env/${ENV}/flag/new-chat-ui`]) {
        await view(p, hash);
        expect(await p.locator("main button.act:not([disabled])").count(), hash).toBe(0);
        expect(await p.locator("main button.act[disabled]").count()).toBeGreaterThan(0);
        expect(await p.locator("[data-read-only]").textContent()).toBe("Signed in as dash-reader with role read: actions need role admin, so they are disabled.");
      }
      const refused = await p.evaluate(async (env) => {
        const token = sessionStorage.getItem("edgeflag.dashboard.token");
        const post = (path: string, body: unknown) => fetch(path, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify(body) }).then(async (r) => [r.status, (await r.json()).error.code]);
        return [await post(`/v1/admin/configs/${env}/rollback`, { to: 1, reason: "x" }), await post(`/v1/admin/configs/${env}/kill`, { flag: "new-chat-ui", variant: "on", reason: "x" }), await post(`/v1/admin/ramps/${env}/summary-model/ramp/pause`, {})];
      }, ENV);
      expect(refused).toEqual([[403, "FORBIDDEN"], [403, "FORBIDDEN"], [403, "FORBIDDEN"]]);
      // The token lives in sessionStorage only: not in the URL, not in localStorage, not in a cookie.
      expect(p.url()).not.toContain(readToken);
      expect(await p.evaluate(() => [localStorage.length, document.cookie])).toEqual([0, ""]);
    } finally {
      await reader.close();
    }
  });

  test("kill switch, then a rollback from the UI: each a new signed version, audited, seen by a connected client", async () => {
    const { jwks } = worker;
    const client = createClient({ baseUrl: worker.url, env: ENV, keys: jwks as never, pollIntervalMs: 300 });
    await client.ready();
    const onShare = () => Array.from({ length: 200 }, (_, i) => client.evaluate("new-chat-ui", false, { subject: `u-${i}` }).value).filter(Boolean).length;
    const start = (await api(`/v1/admin/configs/${ENV}/history`)).latest;
    const until = async (version: number) => {
      const deadline = Date.now() + 15_000;
      while (client.version !== version && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      return client.version;
    };
    try {
      await view(page, `#/env/${ENV}/flag/new-chat-ui`);
      let before = await rendered(page);
      await page.getByRole("button", { name: "Serve only on" }).click();
      await page.locator("#reason").fill("new widget breaks checkout");
      await page.locator("dialog button[type=submit]").click();
      await settled(page, before);
      expect(await page.locator("#status").textContent()).toBe(`new-chat-ui now serves on to everyone (version ${start + 1})`);
      expect(await until(start + 1)).toBe(start + 1);
      expect(onShare()).toBe(200);
      // The versions view diffs the two: exactly the fields the kill switch changed.
      await view(page, `#/env/${ENV}/versions`);
      const payload = async (n: number) => JSON.parse(Buffer.from((await (await fetch(`${worker.url}/v1/configs/${ENV}/versions/${n}`)).text()).split(".")[1]!, "base64url").toString()).flags;
      const changes = diffPaths({ flags: await payload(start) }, { flags: await payload(start + 1) });
      expect(changes.length).toBeGreaterThan(0);
      expect(await page.locator("[data-diff] tbody tr th").allTextContents()).toEqual(changes.map((c) => c.path));
      expect(changes.every((c) => c.path.startsWith("/flags/new-chat-ui/"))).toBe(true);

      before = await rendered(page);
      // By keyboard: Tab reaches the rollback button, Enter opens its dialog.
      expect(await tabThrough(page)).toContain(`button:Roll back to ${start}`);
      await page.getByRole("button", { name: `Roll back to ${start}` }).focus();
      await page.keyboard.press("Enter");
      await page.locator("#reason").fill("widget fixed");
      await page.locator("dialog button[type=submit]").click();
      await settled(page, before);
      expect(await page.locator("#status").textContent()).toBe(`Rolled back: ${ENV} version ${start + 2} serves version ${start}'s flags`);
      expect(await until(start + 2)).toBe(start + 2);
      expect(onShare()).toBeLessThan(100); // 25% again
      const history = await api(`/v1/admin/configs/${ENV}/history`);
      expect(history.versions.slice(0, 2).map((v: Json) => [v.version, v.action, v.actor, v.reason])).toEqual([
        [start + 2, "rollback", "bootstrap", "widget fixed"],
        [start + 1, "kill", "bootstrap", "new widget breaks checkout"],
      ]);
      expect(await page.locator("[data-table=versions] tbody tr").first().locator("th").textContent()).toBe(String(start + 2));
      // The versions and audit views with these changes, and the kill switch's diff, for the eye.
      await page.locator("#diff-from").selectOption(String(start));
      await page.locator("#diff-to").selectOption(String(start + 1));
      await page.waitForSelector(`[data-diff="${changes.length}"]`);
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.screenshot({ path: `${ART}/versions-after-actions-${width}.png`, fullPage: true });
      }
      await view(page, `#/env/${ENV}/audit`);
      await page.screenshot({ path: `${ART}/audit-after-actions-390.png`, fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
    } finally {
      client.close();
    }
  });
});
