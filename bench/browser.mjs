/**
 * Time to first evaluation in Chromium: examples/browser/ served by `wrangler dev` (the demo
 * config, signed, version 1), loaded LOADS times cold (a new browser context: no localStorage, no
 * HTTP cache) and LOADS times with a cached config (one context, loaded before), interleaved. The
 * time is performance.now() when the page first set `data-rendered-from`, i.e. ms from navigation
 * start to the first `evaluate` result shown; "script start → first evaluation" is the SDK's own
 * interval, between the marks the IIFE sets (`edgeflag:start`, its first statement, and
 * `edgeflag:first-eval`, the end of the page's first evaluation). Needs `npm run build`; the browser is
 * `launchChromium`'s (Debian's where installed, else the one the `@sparticuz/chromium` package ships).
 */
import { launchChromium, probedContext, readProbe } from "../scripts/lib/chromium-page.ts";
import { startDemoWorker } from "../scripts/lib/demo-worker.ts";
import { startEventSink } from "../scripts/lib/event-sink.ts";
import { fixed, median, printTable } from "./table.mjs";

const LOADS = 20;
const PAGE = "/examples/browser/";

/** One load in `context`: the first render and, for context, when the HTML and the SDK arrived. */
async function load(context, url) {
  const page = await context.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.__probe.renders.length > 0, null, { timeout: 15_000 });
    const first = (await readProbe(page)).renders[0];
    const timing = await page.evaluate(() => ({
      html: performance.getEntriesByType("navigation")[0].responseEnd,
      sdk: performance.getEntriesByType("resource").find((e) => e.name.endsWith("/sdk/edgeflag.min.js"))?.responseEnd ?? NaN,
      own: performance.measure("edgeflag", "edgeflag:start", "edgeflag:first-eval").duration,
    }));
    return { ...first, ...timing };
  } finally {
    await page.close();
  }
}

export async function benchBrowser() {
  const [worker, sink, browser] = await Promise.all([startDemoWorker(), startEventSink(), launchChromium()]);
  try {
    const url = worker.url + PAGE;
    const warm = await probedContext(browser, sink.url);
    await load(warm, url); // fills this context's cache (and warms up wrangler dev)
    const cold = [];
    const cached = [];
    for (let i = 0; i < LOADS; i++) {
      const fresh = await probedContext(browser, sink.url);
      cold.push(await load(fresh, url));
      await fresh.close();
      cached.push(await load(warm, url));
    }
    await warm.close();
    const bad = [...cold.filter((r) => r.from !== "network"), ...cached.filter((r) => r.from !== "cache")];
    if (bad.length) throw new Error(`unexpected first render: ${JSON.stringify(bad[0])}`);
    const row = (name, runs) => [
      name,
      fixed(median(runs.map((r) => r.at)), 1),
      fixed(Math.min(...runs.map((r) => r.at)), 1),
      fixed(Math.max(...runs.map((r) => r.at)), 1),
      fixed(median(runs.map((r) => r.html)), 1),
      fixed(median(runs.map((r) => r.sdk)), 1),
      fixed(median(runs.map((r) => r.at - r.sdk)), 1),
      fixed(median(runs.map((r) => r.own)), 2),
      String(Math.max(...runs.map((r) => r.configResponses))),
    ];
    printTable(
      `Time to first evaluation in Chromium ${browser.version()} — examples/browser/ on wrangler dev (127.0.0.1), ms from navigation start, median of ${LOADS} interleaved loads`,
      ["config", "first evaluation", "min", "max", "HTML in", "SDK in", "after SDK", "script start → first evaluation", "config responses by then"],
      [row("cached (localStorage, same context)", cached), row("cold (new context, network + verify)", cold)],
      { right: [1, 2, 3, 4, 5, 6, 7, 8] },
    );
    console.log("\"after SDK\": first evaluation minus the SDK script's responseEnd (parse, start, evaluate; cold: + config fetch and verification).");
    console.log("\"script start → first evaluation\": the IIFE's marks edgeflag:start → edgeflag:first-eval (goal for a cached config: ≤ 5 ms).");
    console.log("");
  } finally {
    await browser.close();
    await sink.close();
    await worker.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchBrowser();
