/**
 * The first view: every env, its current version and last change, and each flag's state,
 * rollout, experiment or ramp, with the ramps' health at a glance.
 *
 * @module
 */
import { api } from "../api.ts";
import { envs, envNav, type Ctx } from "../app.ts";
import { h, num, table, type Child } from "../dom.ts";
import { bps, when } from "../format.ts";
import type { EnvSummary, FlagSummary, RampView } from "../types.ts";

/**
 * A ramp's health in a few words: its status, and any guardrail that breaks or waits.
 *
 * @example
 * rampHealth(ramp) // "running; breach: cost_per_call"
 */
export function rampHealth(r: RampView): string {
  const breached = r.guardrails.filter((g) => g.status === "breach").map((g) => g.metric);
  const status = r.state?.status ?? "not started";
  if (r.srm?.mismatch) return `${status}; sample ratio mismatch`;
  if (breached.length) return `${status}; breach: ${breached.join(", ")}`;
  return `${status}; ${r.guardrails.length === 0 ? "no guardrails" : r.guardrails.every((g) => g.status === "ok") ? "guardrails ok" : "guardrails waiting for data"}`;
}

function flagRow(env: string, f: FlagSummary, ramps: RampView[]): Child[] {
  const e = encodeURIComponent(env), k = encodeURIComponent(f.key);
  const allocs = f.allocations.map((a) => {
    const ramp = ramps.find((r) => r.flag === f.key && r.allocation === a.key);
    const kind = ramp ? "ramp" : a.log ? "experiment" : "rollout";
    return h("li", { "data-allocation": a.key }, `${a.key}: `, num(a.rollout, bps), ` · ${kind}`, ramp ? h("span", { class: `health ${ramp.guardrails.some((g) => g.status === "breach") || ramp.srm?.mismatch ? "bad" : "ok"}` }, ` · ${rampHealth(ramp)}`) : null);
  });
  return [
    h("a", { href: `#/env/${e}/flag/${k}` }, f.key),
    h("span", { class: f.enabled ? "on" : "off" }, f.enabled ? "enabled" : "disabled"),
    f.defaultVariant,
    h("ul", { class: "plain" }, allocs.length ? allocs : h("li", null, "no allocation: the default for everyone")),
    f.allocations.some((a) => a.log) ? h("a", { href: `#/env/${e}/flag/${k}/results` }, "results") : "—",
  ];
}

async function envCard(env: EnvSummary): Promise<HTMLElement> {
  const ramps = env.flags.some((f) => f.allocations.some((a) => a.ramp)) ? (await api<{ ramps: RampView[] }>(`/v1/admin/ramps/${encodeURIComponent(env.env)}`)).ramps : [];
  return h(
    "section",
    { class: "card", "data-env": env.env },
    h("h2", null, `${env.env} `, env.demo ? h("span", { class: "badge demo-badge" }, "demo data") : null),
    h("p", null, "Version ", h("strong", { "data-version": env.version ?? "" }, String(env.version ?? "—")), ` · ${env.action ?? "?"} by ${env.actor ?? "?"} at ${when(env.at)}`, env.reason ? ` · “${env.reason}”` : ""),
    envNav(env.env, "flags"),
    table(`Flags of ${env.env}`, ["flag", "state", "default", "allocations", ""], env.flags.map((f) => flagRow(env.env, f, ramps))),
  );
}

/**
 * The view.
 *
 * @example
 * main.replaceChildren(await envsView(ctx));
 */
export async function envsView(_ctx: Ctx): Promise<HTMLElement> {
  const all = await envs(true);
  const cards = await Promise.all(all.map(envCard));
  return h("div", null, h("h1", { tabindex: -1 }, "Environments"), all.length ? cards : h("p", null, "Nothing is published yet: `edgeflag publish flags.json --env development`."));
}
