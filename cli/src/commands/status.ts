/**
 * `edgeflag status --env E`: every ramp of an env — stage, time and subjects in the stage, each
 * guardrail's value against its threshold with its always-valid interval, and the last decision
 * with why. Read from the Worker's admin API (role read is enough).
 *
 * @module
 */
import { option, parseArgs, UsageError } from "../args.ts";
import { AdminClient, LOCAL_USAGE, type RampInfo } from "../admin.ts";
import { field, print, printJson } from "../io.ts";
import { table } from "../table.ts";

export const usage = `edgeflag status --env E [--json]   (--url <worker> --token <admin token> | --local)

Every ramp of env E: its status (running, paused, held, rolled_back, completed), stage and
rollout, how long the stage has run and its subjects per arm against the stage's minimum, each
guardrail's harm estimate against its margin with the always-valid interval and Holm-adjusted
p-value, and the last decision with its reason. --json prints the API's answer.
${LOCAL_USAGE}`;

const num = (x: number | null | undefined): string => (x === null || x === undefined ? "–" : Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(2));
const pct = (bps: number): string => `${bps / 100}%`;

/** "12 min", "3 h 05 min", "2 d 4 h". */
export function duration(ms: number): string {
  const min = Math.max(0, Math.floor(ms / 60_000));
  if (min < 60) return `${min} min`;
  if (min < 2880) return `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, "0")} min`;
  return `${Math.floor(min / 1440)} d ${Math.floor((min % 1440) / 60)} h`;
}

function printRamp(r: RampInfo, now: number): void {
  const stage = r.state ? r.state.stage : 0;
  const spec = r.stages[Math.min(stage, r.stages.length - 1)]!;
  const since = r.state ? `, ${duration(now - Date.parse(r.state.stageStartedAt))} in stage (minimum ${spec.minDurationMinutes} min${r.state.extended ? ", extended once" : ""})` : "";
  print(`${field(r.flag)}/${field(r.allocation)}: ${r.state?.status ?? "not started (the watcher starts it within a minute)"}, stage ${stage + 1} of ${r.stages.length} at ${pct(r.rollout)}${since}`);
  const arms = Object.entries(r.subjects).map(([v, n]) => `${field(v)}${v === r.control ? " (control)" : ""} ${n}`).join(", ");
  print(`  subjects: ${arms || "none yet"} (stage needs ${spec.minSubjects ?? 100} per arm)${r.srm?.mismatch ? `; SAMPLE-RATIO MISMATCH (p ${r.srm.pValue.toExponential(1)})` : ""}`);
  if (r.guardrails.length > 0) {
    table(["guardrail", "harm", "margin", "always-valid interval", "p (Holm)", "status", "action"], r.guardrails.map((g) => [
      field(g.metric), num(g.estimate), num(g.margin), g.interval ? `[${num(g.interval.lower)}, ${num(g.interval.upper)}]` : "–", num(g.pValueAdjusted), g.status, g.action,
    ]));
  }
  const last = r.timeline.at(-1);
  print(last ? `  last decision: ${last.action} by ${field(last.actor)} at ${last.at}${last.version === null ? "" : ` (version ${last.version})`}: ${field(last.reason)}` : "  no decision yet");
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ["env", "url", "token"], booleans: ["local"] });
  const env = option(args, "env");
  if (!env) throw new UsageError("--env is required");
  const api = AdminClient.connect({ url: option(args, "url"), token: option(args, "token"), local: args.flags.has("local") }, "ramps live in the Worker");
  const body = await api.ramps(env);
  if (args.flags.has("json")) {
    printJson(body);
    return 0;
  }
  if (body.ramps.length === 0) {
    print(`env ${field(env)} (version ${body.version}) has no ramps`);
    return 0;
  }
  const now = Date.now();
  body.ramps.forEach((r, i) => {
    if (i > 0) print("");
    printRamp(r, now);
  });
  return 0;
}
