/**
 * A ramp on the flag view: where it stands, its stages (when each began), the guardrails with
 * their values against thresholds, the decisions so far, and pause / resume / advance / abort.
 *
 * @module
 */
import { api } from "../api.ts";
import { action, type Ctx } from "../app.ts";
import { confirmAction } from "../confirm.ts";
import { h, num, table } from "../dom.ts";
import { bps, fmt, pValue, signed, when } from "../format.ts";
import type { RampView } from "../types.ts";
import { rampHealth } from "./envs.ts";

const EFFECT: Record<string, string> = {
  pause: "The watcher stops moving this ramp; its rollout stays where it is.",
  resume: "The watcher moves this ramp again (from its first stage after a rollback), with the stage's clock reset.",
  advance: "The ramp moves to its next stage now (or completes after the last), publishing a new signed version.",
  abort: "The ramp is rolled back: rollout 0, the control for everyone, as a new signed version.",
};

/**
 * Why an action does not apply to a ramp in this state (the Worker would answer 409), or null.
 *
 * @example
 * notNow("resume", "running") === "a running ramp cannot resume"
 */
export function notNow(verb: string, status: string): string | null {
  const ok: Record<string, boolean> = {
    pause: status === "running" || status === "held",
    resume: status !== "running" && status !== "completed",
    advance: status !== "rolled_back" && status !== "completed",
    abort: status !== "rolled_back",
  };
  return ok[verb] ? null : `a ${status.replace("_", " ")} ramp cannot ${verb}`;
}

function rampAction(ctx: Ctx, r: RampView, verb: "pause" | "resume" | "advance" | "abort"): HTMLElement {
  const path = `/v1/admin/ramps/${encodeURIComponent(ctx.params.env!)}/${encodeURIComponent(r.flag)}/${encodeURIComponent(r.allocation)}/${verb}`;
  const label = `${verb[0]!.toUpperCase()}${verb.slice(1)} ramp`;
  return action(ctx, label, () =>
    confirmAction({
      title: `${label} of ${r.flag} (allocation ${r.allocation})?`,
      effect: EFFECT[verb]!,
      confirm: label,
      run: async (reason) => {
        const out = await api<{ state: { status: string }; rollout: number; version: number | null }>(path, { reason });
        return `${verb}: ${r.flag}/${r.allocation} is now ${out.state.status} at ${bps(out.rollout)}${out.version === null ? "" : ` (version ${out.version})`}`;
      },
      done: ctx.refresh,
    }),
    {},
    notNow(verb, r.state?.status ?? "running"),
  );
}

function stages(r: RampView): HTMLElement {
  const began = (i: number) => r.timeline.filter((e) => e.stage === i && e.action !== "none").map((e) => e.at)[0] ?? (r.state?.stage === i ? r.state.stageStartedAt : null);
  return h(
    "ol",
    { class: "stages" },
    r.stages.map((st, i) =>
      h("li", { class: r.state?.stage === i ? "current" : "", "aria-current": r.state?.stage === i ? "step" : null }, `${bps(st.rollout)} for at least ${st.minDurationMinutes} min, ${st.minSubjects ?? 100} subjects per arm`, began(i) ? ` · began ${when(began(i))}` : ""),
    ),
  );
}

function guardrails(r: RampView): HTMLElement {
  return table(
    `Guardrails of ${r.flag}/${r.allocation} against ${r.control}`,
    ["metric", "harm estimate", "margin", "always-valid interval", "p (Holm)", "samples", "status", "on breach"],
    r.guardrails.map((g) => [
      g.metric,
      num(g.estimate, signed),
      num(g.margin, fmt),
      g.interval ? `${signed(g.interval.lower)} to ${signed(g.interval.upper)}` : "—",
      num(g.pValueAdjusted, pValue),
      String(g.samples),
      h("span", { class: `status ${g.status}`, title: g.reason }, g.status),
      g.action,
    ]),
  );
}

/**
 * The ramp section.
 *
 * @example
 * section.append(rampSection(ctx, ramp));
 */
export function rampSection(ctx: Ctx, r: RampView): HTMLElement {
  const status = r.state?.status ?? "not started";
  return h(
    "section",
    { class: "card", "data-ramp": r.allocation },
    h("h2", null, `Ramp (allocation ${r.allocation})`),
    h("p", null, `${rampHealth(r)} · stage ${(r.state?.stage ?? 0) + 1} of ${r.stages.length} · rollout `, num(r.rollout, bps), ` · subjects: ${Object.entries(r.subjects).map(([v, n]) => `${v} ${n}`).join(", ") || "none yet"}`),
    r.srm?.mismatch ? h("p", { class: "alert", role: "alert" }, `Sample ratio mismatch (p ${pValue(r.srm.pValue)}): the split is broken, the guardrails cannot be trusted.`) : null,
    stages(r),
    r.guardrails.length ? guardrails(r) : h("p", null, "No guardrails."),
    h("h3", null, "Decisions"),
    r.timeline.length
      ? table(`Decisions of ${r.flag}/${r.allocation}`, ["when", "decision", "by", "stage", "rollout", "version", "why"], r.timeline.map((e) => [when(e.at), e.action, e.actor, String(e.stage + 1), bps(e.rollout), e.version === null ? "—" : String(e.version), e.reason]))
      : h("p", null, "No decision yet: the watcher starts the ramp at its next tick."),
    h("div", { class: "buttons", "data-status": status }, (["pause", "resume", "advance", "abort"] as const).map((v) => rampAction(ctx, r, v))),
  );
}
