/**
 * The ramp watcher's webhook: each decision it applies is posted to `RAMP_WEBHOOK_URL` (a secret:
 * Slack's incoming-webhook URLs carry a token) as a Slack-compatible body — `text` for Slack,
 * and the same decision as data under `edgeflag` for any other receiver. A failed post is logged
 * and never retried: the decision itself is already in the audit log and the ramp's timeline.
 *
 * @module
 */
import type { GuardrailResult } from "@edgeflag/analysis";
import { secret } from "../lib/secrets.ts";

/** One applied decision, as posted. */
export interface RampNotice {
  env: string;
  flag: string;
  allocation: string;
  action: string;
  stage: number;
  stages: number;
  rolloutBefore: number;
  rollout: number;
  version: number | null;
  reason: string;
  guardrails: GuardrailResult[];
}

const VERB: Record<string, string> = { rollback: "rolled back", hold: "held", warn: "warns on", advance: "advanced", complete: "completed", extend: "extended a stage of", start: "started" };
const EMOJI: Record<string, string> = { rollback: ":rotating_light:", hold: ":double_vertical_bar:", warn: ":warning:" };
const pct = (bps: number): string => `${bps / 100}%`;

/**
 * The Slack-compatible body of a notice.
 *
 * @example
 * webhookBody(notice).text // ":rotating_light: edgeflag rolled back chat-model/ramp in production: 5% → 0% (version 12). error_rate: …"
 */
export function webhookBody(n: RampNotice): { text: string; edgeflag: RampNotice } {
  const verb = VERB[n.action] ?? n.action;
  const where = `${n.flag}/${n.allocation} in ${n.env}`;
  const move = n.rollout === n.rolloutBefore ? `stage ${n.stage + 1} of ${n.stages} at ${pct(n.rollout)}` : `${pct(n.rolloutBefore)} → ${pct(n.rollout)}`;
  const version = n.version === null ? "" : ` (version ${n.version})`;
  return { text: `${EMOJI[n.action] ?? ":information_source:"} edgeflag ${verb} ${where}: ${move}${version}. ${n.reason}`, edgeflag: n };
}

/**
 * Posts a notice when RAMP_WEBHOOK_URL is set; never throws (5 s timeout, failures logged).
 *
 * @example
 * ctx.waitUntil(postWebhook(env, notice));
 */
export async function postWebhook(env: Env, notice: RampNotice, fetcher: typeof fetch = fetch): Promise<boolean> {
  const url = secret(env, "RAMP_WEBHOOK_URL");
  if (url === undefined) return false;
  try {
    const response = await fetcher(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(webhookBody(notice)), signal: AbortSignal.timeout(5000) });
    if (!response.ok) console.warn(`edgeflag: the ramp webhook answered ${response.status}`);
    await response.body?.cancel();
    return response.ok;
  } catch (e) {
    console.warn(`edgeflag: the ramp webhook failed: ${(e as Error).name}`);
    return false;
  }
}
