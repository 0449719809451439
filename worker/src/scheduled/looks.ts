/**
 * The looks cron: every 15 minutes, one sequential look per running sequential experiment (a
 * flag of an env's latest config with `experiment.sequential: true` whose analysis has a verdict).
 * Looks are taken here on a fixed cadence, never by whoever reads results, so reading results,
 * the dashboard and the ramp watcher never race over that state. A tick that runs twice in one
 * cadence slot records one look.
 *
 * @module
 */
import { applyLooks } from "@edgeflag/analysis";
import { appendLookHistory } from "../results/look-history.ts";
import { lastLookAt, readLooks, writeLooks, type LookScope } from "../results/looks.ts";
import { analyzeExperiment, latestConfig } from "../services/experiments.ts";
import { envNames } from "./renew.ts";

/** The cadence, as wrangler.toml's [triggers] lists it (the scheduled handler dispatches on it). */
export const LOOKS_CRON = "*/15 * * * *";
/** The cadence slot: LOOKS_CRON fires at the start of each. */
export const LOOK_CADENCE_MS = 15 * 60_000;

/**
 * The start of the cadence slot `t` falls in.
 *
 * @example
 * slotStart(Date.UTC(2026, 0, 1, 10, 22)); // Date.UTC(2026, 0, 1, 10, 15)
 */
export const slotStart = (t: number): number => t - (t % LOOK_CADENCE_MS);

/** Records one experiment's look unless this slot has it; returns its scope when it did. */
async function recordLook(env: Env, name: string, flagKey: string, at: number): Promise<LookScope | null> {
  const { scope, analysis } = await analyzeExperiment(env, name, flagKey, { allocation: null, control: null });
  if (!analysis.settings.sequential || analysis.status !== "ok") return null;
  const slot = slotStart(at);
  if (((await lastLookAt(env.DB, scope)) ?? -Infinity) >= slot) return null;
  const { analysis: folded, looks } = applyLooks(analysis, await readLooks(env.DB, scope));
  await writeLooks(env.DB, scope, looks, { at, slotStart: slot });
  await appendLookHistory(env.DB, scope, folded.comparisons, { at, slot });
  return looks.size > 0 ? scope : null;
}

/**
 * One tick: a look for every running sequential experiment of every env. One experiment's
 * failure is logged and skips only it. Returns the experiments that got a look.
 *
 * @example
 * await recordLooks(env, controller.scheduledTime); // from the scheduled handler, on LOOKS_CRON
 */
export async function recordLooks(env: Env, at: number): Promise<LookScope[]> {
  const recorded: LookScope[] = [];
  for (const name of await envNames(env.FLAGS)) {
    const latest = await latestConfig(env.FLAGS, name).catch((e: unknown) => void console.error(`edgeflag: env ${name}: cannot read its latest config`, e));
    for (const [flagKey, flag] of Object.entries(latest?.config.flags ?? {})) {
      if (flag.experiment?.sequential !== true) continue;
      try {
        const scope = await recordLook(env, name, flagKey, at);
        if (scope !== null) recorded.push(scope);
      } catch (e) {
        console.error(`edgeflag: env ${name}, flag ${flagKey}: no sequential look this time`, e);
      }
    }
  }
  return recorded;
}
