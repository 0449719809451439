/**
 * Renewal before expiry. A signed config carries `exp` (30 days by default) and clients refuse
 * an expired one, so a config nobody republished would stop every flag. The cron asks each env's
 * ConfigWriter to republish the latest content, signed with SIGNING_KEY, as a new version when
 * it would expire within RENEW_BEFORE_MS (config-writer.ts); the history records it as action
 * "renew". Going through the writer, a renewal never races a publish for a version.
 *
 * @module
 */
import { envOfLatestKey } from "@edgeflag/config-schema/domain";
import { signingKey } from "../lib/keys.ts";
import { applied } from "../services/outcome.ts";
import { writerOf } from "../services/config-writer.ts";

/** Every env that has a latest pointer. */
export async function envNames(kv: KVNamespace): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list({ prefix: "config:", cursor });
    for (const key of page.keys) {
      const name = envOfLatestKey(key.name);
      if (name !== null) names.push(name);
    }
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
    const published = await applied(writerOf(env, name).renew(name, now));
    if (published !== null) renewed.push({ env: name, version: published.version });
  }
  return renewed;
}
