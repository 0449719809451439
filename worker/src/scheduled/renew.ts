/**
 * Renewal before expiry. A signed config carries `exp` (30 days by default) and clients refuse
 * an expired one, so a config nobody republished would stop every flag. The cron republishes
 * each env's latest content, signed with SIGNING_KEY, as a new version when it would expire
 * within RENEW_BEFORE_MS; the history records it as action "renew".
 *
 * @module
 */
import { decodeSignedConfig } from "@edgeflag/sdk/signing";
import { contentOf, signAndPublish } from "../lib/publish.ts";
import { signingKey } from "../lib/keys.ts";
import { readJws, readLatest } from "../storage/configs.ts";

/** Renew a config that expires within a week: clients offline for days still find a valid one. */
export const RENEW_BEFORE_MS = 7 * 86_400_000;

/** Every env that has a latest pointer. */
export async function envNames(kv: KVNamespace): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list({ prefix: "config:", cursor });
    for (const key of page.keys) if (key.name.endsWith(":latest")) names.push(key.name.slice("config:".length, -":latest".length));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return names;
}

/**
 * Renews what needs it; returns the renewed envs and their new versions. Without SIGNING_KEY it
 * renews nothing (logged): the CLI must republish before expiry then.
 *
 * @example
 * await renewExpiring(env, Date.now()); // from the scheduled handler
 */
export async function renewExpiring(env: Env, now: number): Promise<Array<{ env: string; version: number }>> {
  const renewed: Array<{ env: string; version: number }> = [];
  const names = await envNames(env.FLAGS);
  if (names.length > 0 && (await signingKey(env)) === undefined) {
    console.warn("edgeflag: no SIGNING_KEY, so configs near expiry cannot be renewed by the Worker");
    return renewed;
  }
  for (const name of names) {
    const latest = await readLatest(env.FLAGS, name);
    const jws = latest === null ? null : await readJws(env.FLAGS, name, latest);
    if (latest === null || jws === null) continue;
    const { exp } = decodeSignedConfig(jws).payload;
    if (exp * 1000 - now > RENEW_BEFORE_MS) continue;
    const reason = `renewed before expiry (version ${latest} expires ${new Date(exp * 1000).toISOString()})`;
    const published = await signAndPublish(env, name, latest, contentOf(jws), { actor: "edgeflag-cron", action: "renew", from: latest, reason });
    renewed.push({ env: name, version: published.version });
  }
  return renewed;
}
