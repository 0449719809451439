// Headless Chromium driven by playwright-core, and a probe added to every page of a context that
// records when the example page rendered and from what, without changing the page itself.
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

// The flags every Chromium run here uses (never --user-data-dir: playwright gives each context
// its own profile); without the background-networking ones Chromium knocks on closed networks.
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

/**
 * Which Chromium runs: `$CHROMIUM_PATH` when set, Debian's `/usr/bin/chromium` when installed,
 * else the headless build inside the `@sparticuz/chromium` npm package (extracted to a temp folder
 * on first use), so `npm install && npm test` needs no apt step. Its own serverless flag list
 * (`--single-process`, `--disable-web-security`) is never used: it would hide real browser behaviour.
 */
export async function chromiumPath(): Promise<string> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  if (existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  const { default: packaged } = await import("@sparticuz/chromium");
  return packaged.executablePath();
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_ARGS });
}

/** One time the page set `data-rendered-from`, i.e. evaluated its flags and showed them. */
export interface Render {
  from: string;
  variant: string;
  /** performance.now(): ms since navigation start. */
  at: number;
  /** Config responses the page had received by then (Resource Timing entries). */
  configResponses: number;
}

export interface Probe {
  renders: Render[];
  ready: { ok: boolean; version: number | null; source: string | null } | null;
  readyAt: number | null;
}

/**
 * A context whose pages are probed: `data-rendered-from` changes are timed, `edgeflag:ready` is
 * kept, and, when `eventsUrl` is given, the SDK's script tag gets `data-events-url` before it runs
 * (a parser-inserted script runs only after the mutation observers were told about it).
 */
export async function probedContext(browser: Browser, eventsUrl?: string): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addInitScript((eventsUrl: string | null) => {
    const probe: Probe = { renders: [], ready: null, readyAt: null };
    (window as unknown as { __probe: Probe }).__probe = probe;
    new MutationObserver((records) => {
      for (const r of records) {
        for (const node of r.addedNodes) {
          if (eventsUrl && node instanceof HTMLScriptElement && node.src.endsWith("/sdk/edgeflag.min.js")) node.dataset.eventsUrl = eventsUrl;
        }
        if (r.type === "attributes" && r.target instanceof HTMLElement) {
          const configResponses = performance.getEntriesByType("resource").filter((e) => e.name.includes("/v1/configs/")).length;
          probe.renders.push({ from: r.target.dataset.renderedFrom ?? "", variant: r.target.dataset.variant ?? "", at: performance.now(), configResponses });
        }
      }
    }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-rendered-from"] });
    document.addEventListener("edgeflag:ready", (e) => {
      probe.ready = (e as CustomEvent<{ state: Probe["ready"] }>).detail.state;
      probe.readyAt = performance.now();
    });
  }, eventsUrl ?? null);
  return context;
}

export function readProbe(page: Page): Promise<Probe> {
  return page.evaluate(() => (window as unknown as { __probe: Probe }).__probe);
}

/** Waits until the page rendered from `from` and returns the probe. */
export async function waitForRender(page: Page, from: string, timeoutMs = 15_000): Promise<Probe> {
  await page.waitForFunction((from) => (window as unknown as { __probe: Probe }).__probe.renders.some((r) => r.from === from), from, { timeout: timeoutMs });
  return readProbe(page);
}
