/**
 * What every view shares: who is signed in, the envs at a glance (fetched once per navigation),
 * a live region for outcomes, an alert for refusals, and the demo-data banner.
 *
 * @module
 */
import { api, ApiError, type Me } from "./api.ts";
import { h, type Child } from "./dom.ts";
import type { EnvSummary } from "./types.ts";

/** What a view is given. */
export interface Ctx {
  me: Me;
  /** Params from the route (`:env`, `:flag`). */
  params: Record<string, string>;
  /** Renders the current route again (after an action). */
  refresh(): void;
}

let envsCache: Promise<EnvSummary[]> | null = null;

/**
 * The envs at a glance; `fresh` asks the Worker again.
 *
 * @example
 * const envs = await envs(true);
 */
export function envs(fresh = false): Promise<EnvSummary[]> {
  if (fresh || envsCache === null) envsCache = api<{ envs: EnvSummary[] }>("/v1/admin/envs").then((b) => b.envs);
  return envsCache;
}

/**
 * Says something to every reader, screen readers included (a polite live region).
 *
 * @example
 * announce("Rolled back: version 7 is live");
 */
let clearing: ReturnType<typeof setTimeout> | undefined;
export function announce(text: string): void {
  const region = document.getElementById("status")!;
  region.textContent = text;
  // A toast, not a wall: it goes after a while (the audit log keeps what happened).
  clearTimeout(clearing);
  clearing = setTimeout(() => (region.textContent = ""), 8000);
}

/**
 * A refusal or failure, shown where the view would be.
 *
 * @example
 * main.replaceChildren(problem(e));
 */
export function problem(e: unknown): HTMLElement {
  const text = e instanceof ApiError ? `${e.status} ${e.code}: ${e.message}` : String((e as Error)?.message ?? e);
  return h("p", { class: "alert", role: "alert" }, text);
}

/**
 * The banner over an env's views: demo data is said to be demo data.
 *
 * @example
 * banner(summary)
 */
export function demoBanner(env: EnvSummary | undefined): Child {
  if (!env?.demo) return null;
  return h("p", { class: "demo", "data-demo": "" }, h("strong", null, "Demo data. "), `Env ${env.env} serves npm start's demo config; its events were made up by npm start (scripts/lib/demo-traffic.ts), not by real people.`);
}

/**
 * An action button. For a reader without the admin role it is disabled, with the reason beside
 * it; `notNow` disables it too, saying why it does not apply now.
 *
 * @example
 * action(ctx, "Roll back to version 3", () => confirmRollback(3))
 */
export function action(ctx: Ctx, label: string, run: () => void, attrs: Record<string, string> = {}, notNow: string | null = null): HTMLElement {
  if (notNow !== null) return h("button", { type: "button", class: "act", disabled: true, title: notNow, ...attrs }, label);
  if (ctx.me.role === "admin") return h("button", { type: "button", class: "act", onclick: run, ...attrs }, label);
  return h("button", { type: "button", class: "act", disabled: true, title: `needs role admin (${ctx.me.name} has role ${ctx.me.role})`, ...attrs }, label);
}

/**
 * The note a read-only reader sees once per view, saying why the actions are disabled.
 *
 * @example
 * readOnlyNote(ctx)
 */
export function readOnlyNote(ctx: Ctx): Child {
  return ctx.me.role === "admin" ? null : h("p", { class: "note", "data-read-only": "" }, `Signed in as ${ctx.me.name} with role ${ctx.me.role}: actions need role admin, so they are disabled.`);
}

/**
 * A heading with the env's sub-navigation.
 *
 * @example
 * envNav("production", "versions")
 */
export function envNav(env: string, current: "versions" | "audit" | "flags"): HTMLElement {
  const link = (href: string, text: string, here: boolean) => h("a", { href, "aria-current": here ? "page" : null }, text);
  const e = encodeURIComponent(env);
  return h("nav", { class: "sub", "aria-label": `env ${env}` }, link("#/", "All envs", current === "flags"), link(`#/env/${e}/versions`, "Versions", current === "versions"), link(`#/env/${e}/audit`, "Audit log", current === "audit"));
}
