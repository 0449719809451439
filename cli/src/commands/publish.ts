import { decodeSignedConfig, publicJwk } from "@edgeflag/sdk/signing";
import type { FlagConfig } from "@edgeflag/config-schema";
import { option, parseArgs } from "../args.ts";
import { print, printJson, readValidConfig, requirePositionals } from "../io.ts";
import { readPrivateKey } from "../keys-io.ts";
import { diffConfigs, formatDiff } from "../diff.ts";
import { TARGET_BOOLEANS, TARGET_USAGE, TARGET_VALUES, target } from "../target.ts";
import { signOrExplain, ttlOption } from "./sign.ts";

export const usage = `edgeflag publish <config> --env E [--local] [--dry-run] [--key private.jwk] [--ttl 30d] [--reason R]

Validates the config, signs it as the next version (strictly increasing), writes
config:<env>:<version> and then moves config:<env>:latest, recording who, when and why.
--dry-run prints which flags would be added (+), removed (-) or changed (~) and writes nothing.
The key defaults to the dev key .edgeflag/dev-keys/private.jwk. With --url, the Worker signs
unless --key is given.
${TARGET_USAGE}`;

async function current(t: ReturnType<typeof target>): Promise<{ latest: number; config: (FlagConfig & { exp?: number }) | null; top: number }> {
  if (t.admin) {
    const h = await t.admin.history(t.env);
    return { latest: h.latest ?? 0, config: null, top: Math.max(0, ...h.versions.map((v) => v.version)) };
  }
  const listing = await t.store!.list(t.env);
  const latest = listing.latest ?? 0;
  const jws = latest ? await t.store!.get(t.env, latest) : null;
  return { latest, config: jws ? decodeSignedConfig(jws).payload : null, top: Math.max(0, ...listing.versions.map((v) => v.version)) };
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: [...TARGET_VALUES, "key", "ttl"], booleans: [...TARGET_BOOLEANS, "dry-run"] });
  const [file] = requirePositionals(args.positionals, ["config"]);
  const config = await readValidConfig(file!);
  const t = target(args);
  const ttlSeconds = ttlOption(option(args, "ttl"));
  const now = await current(t);
  const version = Math.max(now.latest, now.top) + 1;
  const json = args.flags.has("json");
  if (args.flags.has("dry-run")) {
    const diff = diffConfigs(now.config, config);
    const expires = typeof now.config?.exp === "number" ? new Date(now.config.exp * 1000).toISOString() : null;
    if (json) printJson({ dryRun: true, env: t.env, version, from: now.latest || null, latestExpiresAt: expires, ...diff });
    else print(`would publish ${t.env} version ${version} to ${t.where} (latest is ${now.latest || "none"}):\n${formatDiff(diff)}`);
    return 0;
  }
  if (t.admin && option(args, "key") === undefined) {
    const r = await t.admin.publish(t.env, { config, reason: t.reason });
    if (json) printJson(r);
    else print(`published ${t.env} version ${r.version} through ${t.where}`);
    return 0;
  }
  const key = await readPrivateKey(option(args, "key"));
  const jws = await signOrExplain(config, { key, env: t.env, version, ttlSeconds });
  const { kid } = await publicJwk(key);
  if (t.admin) await t.admin.publish(t.env, { jws, reason: t.reason });
  else await t.store!.put(t.env, jws, { version, at: new Date().toISOString(), actor: t.actor, action: "publish", reason: t.reason, kid });
  if (json) printJson({ env: t.env, version, kid });
  else print(`published ${t.env} version ${version} to ${t.where} (kid ${kid})`);
  return 0;
}
