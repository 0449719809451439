/**
 * The dashboard: its bytes (gzip -9, what `npm run size` checks) and the time to a rendered
 * results view in Chromium — `#/env/development/flag/chat-model/results` on wrangler dev holding
 * npm start's demo (the demo config and its week of demo traffic) — loaded LOADS times cold (a
 * new browser context: no HTTP cache) and LOADS times warm (one context that loaded it before),
 * interleaved. The time is that of the app's performance mark `edgeflag:rendered:results` (set
 * when the view is in the page): HTML, script, sign-in check, then the results and looks fetched
 * and drawn. The token is put in sessionStorage before the page runs, as after a sign-in.
 */
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { launchChromium } from "../scripts/lib/chromium-page.ts";
import { DASHBOARD_FILES } from "../scripts/lib/dashboard-build.ts";
import { seedDemoTraffic } from "../scripts/lib/demo-traffic.ts";
import { startDemoWorker } from "../scripts/lib/demo-worker.ts";
import { fixed, int, median, printTable } from "./table.mjs";

const LOADS = 10;
const VIEW = "/#/env/development/flag/chat-model/results";

async function contextWith(browser, token) {
  const context = await browser.newContext();
  await context.addInitScript((token) => sessionStorage.setItem("edgeflag.dashboard.token", token), token);
  return context;
}

async function load(context, url) {
  const page = await context.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName("edgeflag:rendered:results").length > 0, null, { timeout: 30_000 });
    return page.evaluate(() => ({ at: performance.getEntriesByName("edgeflag:rendered:results")[0].startTime, script: performance.getEntriesByType("resource").find((e) => e.name.endsWith("/dashboard/app.js"))?.responseEnd ?? NaN }));
  } finally {
    await page.close();
  }
}

export async function benchDashboard() {
  const rows = Object.entries(DASHBOARD_FILES).map(([name, path]) => {
    const bytes = readFileSync(path);
    return [name, int(bytes.length), int(gzipSync(bytes, { level: 9 }).length)];
  });
  const total = Object.values(DASHBOARD_FILES).reduce((t, p) => t + gzipSync(readFileSync(p), { level: 9 }).length, 0);
  printTable("Dashboard bytes — public/ as `npm run build` makes it, gzip -9 (budget: dashboard/size-budget.json)", ["file", "bytes", "gzip B"], [...rows, ["total", "", int(total)]], { right: [1, 2] });
  const [worker, browser] = await Promise.all([startDemoWorker({ actor: "npm-start", testScheduled: true }), launchChromium()]);
  try {
    const seeded = await seedDemoTraffic({ url: worker.url, env: worker.env, token: worker.token });
    const url = worker.url + VIEW;
    const warm = await contextWith(browser, worker.token);
    await load(warm, url); // fills this context's cache (and warms up wrangler dev)
    const cold = [], cached = [];
    for (let i = 0; i < LOADS; i++) {
      const fresh = await contextWith(browser, worker.token);
      cold.push(await load(fresh, url));
      await fresh.close();
      cached.push(await load(warm, url));
    }
    await warm.close();
    const row = (name, runs) => [name, fixed(median(runs.map((r) => r.at)), 1), fixed(Math.min(...runs.map((r) => r.at)), 1), fixed(Math.max(...runs.map((r) => r.at)), 1), fixed(median(runs.map((r) => r.script)), 1)];
    printTable(
      `Time to a rendered results view in Chromium ${browser.version()} — chat-model on wrangler dev (127.0.0.1) with the demo week (${seeded.posted} events), ms from navigation start, median of ${LOADS} interleaved loads`,
      ["cache", "rendered", "min", "max", "app.js in"],
      [row("warm (same context, HTTP cache)", cached), row("cold (new context)", cold)],
      { right: [1, 2, 3, 4] },
    );
    console.log("\"rendered\": the results and the looks fetched from the Worker (D1 queries on every load) and drawn; \"app.js in\": the script's responseEnd.");
    console.log("");
  } finally {
    await browser.close();
    await worker.stop();
  }
}
