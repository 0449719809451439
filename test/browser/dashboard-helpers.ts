// Driving the dashboard in Chromium: sign in through its form, go to a view by its hash and wait
// until it is rendered, read the numbers it shows, run axe-core inside the page.
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";

const AXE = readFileSync(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

/** Signs in through the form with `token` and waits for the first view. */
export async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(`${url}/#/`);
  await page.locator("#token").fill(token);
  await page.locator("form.signin button[type=submit]").click();
  await page.waitForSelector("[data-me]");
  await waitRendered(page, 0);
}

const rendered = (page: Page) => page.evaluate(() => Number(document.documentElement.dataset.rendered ?? 0));

async function waitRendered(page: Page, after: number): Promise<void> {
  await page.waitForFunction((after) => Number(document.documentElement.dataset.rendered ?? 0) > after && !document.getElementById("main")!.hasAttribute("aria-busy"), after, { timeout: 30_000 });
}

/** Goes to `hash` (e.g. "#/env/development/versions") and waits until the view is shown. */
export async function view(page: Page, hash: string): Promise<void> {
  const before = await rendered(page);
  // The same hash again fires no hashchange: the view is asked to render again instead.
  await page.evaluate((hash) => (location.hash === hash ? window.dispatchEvent(new HashChangeEvent("hashchange")) : (location.hash = hash)), hash);
  await waitRendered(page, before);
}

/** Renders the current view again (after an action) and waits for it. */
export async function settled(page: Page, before: number): Promise<void> {
  await waitRendered(page, before);
}
export { rendered };

/** A number the page shows: its exact value (data-value) and its text. */
export interface Shown {
  value: number | null;
  text: string;
}

/** Every `[data-value]` inside the elements matching `selector`, in order. */
export function numbers(page: Page, selector: string): Promise<Shown[]> {
  return page.$$eval(`${selector} [data-value], ${selector}[data-value]`, (els) => els.map((e) => ({ value: e.getAttribute("data-value") === "" ? null : Number(e.getAttribute("data-value")), text: e.textContent ?? "" })));
}

/** The serious and critical violations axe-core finds in the page. */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ["violations"] });
    return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  });
}

/** Tabs through the page from its top until focus comes back round; the labels of what got focus. */
export async function tabThrough(page: Page, max = 200): Promise<string[]> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const label = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      el.setAttribute("data-tabbed", "");
      return `${el.tagName.toLowerCase()}:${(el.textContent ?? "").trim().slice(0, 60)}`;
    });
    if (label === null || (seen.length > 0 && label === seen[0])) break;
    seen.push(label);
  }
  return seen;
}
