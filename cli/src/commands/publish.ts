import { decodeSignedConfig, publicJwk } from "@edgeflag/sdk/signing";
import type { FlagConfig } from "@edgeflag/config-schema";
import { nextFreeVersion, publish } from "@edgeflag/config-schema/domain";
import { option, parseArgs } from "../args.ts";
import { print, printJson, readValidConfig, requirePositionals } from "../io.ts";
import { readPrivateKey } from "../keys-io.ts";
import { diffConfigs, formatDiff } from "../diff.ts";
import { TARGET_BOOLEANS, TARGET_USAGE, TARGET_VALUES, target, type Target } from "../target.ts";
import { readAllowedUpstreams, refuseForeignUpstreams } from "../upstreams.ts";
import { signOrExplain, ttlOption } from "./sign.ts";

export const usage = `edgeflag publish <config> --env E [--local] [--dry-run] [--key private.jwk] [--ttl 30d] [--reason R]

Validates the config, signs it as the next free version after the latest, writes
config:<env>:<version> and then moves config:<env>:latest, recording who, when and why.
--dry-run prints which flags would be added (+), removed (-) or changed (~) against the
latest published config and writes nothing. A config that would send an upstream key
secret (apiKeySecret) to an origin ROUTER_UPSTREAMS in wrangler.toml does not allow for it is
refused (the admin API checks the same). The key defaults to the dev key
.edgeflag/dev-keys/private.jwk. With --url, the Worker signs unless --key is given.
${TARGET_USAGE}`;

interface Current {
  latest: number;
  config: (FlagConfig & { exp?: number }) | null;
  /** The version a publish would take now. */
  next: number;
}

/** The latest version and its config, and the next free version, from one listing and one read. */
async function current(t: Target): Promise<Current> {
  const { latest, versions } = t.admin ? await t.admin.history(t.env) : await t.store!.list(t.env);
  const taken = new Set(versions.map((v) => v.version));
  const jws = !latest ? null : t.admin ? await t.admin.configVersion(t.env, latest) : await t.store!.readJws(t.env, latest);
  return { latest: latest ?? 0, config: jws ? decodeSignedConfig(jws).payload : null, next: await nextFreeVersion(latest ?? 0, (v) => taken.has(v), t.env) };
}

async function dryRun(t: Target, config: FlagConfig, json: boolean): Promise<number> {
  const now = await current(t);
  const diff = diffConfigs(now.config, config);
  const expires = typeof now.config?.exp === "number" ? new Date(now.config.exp * 1000).toISOString() : null;
  if (json) printJson({ dryRun: true, env: t.env, version: now.next, from: now.latest || null, latestExpiresAt: expires, ...diff });
  else print(`would publish ${t.env} version ${now.next} to ${t.where} (latest is ${now.latest || "none"}):\n${formatDiff(diff)}`);
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: [...TARGET_VALUES, "key", "ttl"], booleans: [...TARGET_BOOLEANS, "dry-run"] });
  const [file] = requirePositionals(args.positionals, ["config"]);
  const config = await readValidConfig(file!);
  const t = target(args);
  // Through --url the Worker checks against its own ROUTER_UPSTREAMS; the KV paths check here.
  if (t.store) refuseForeignUpstreams(file!, config, await readAllowedUpstreams(option(args, "wrangler-config")));
  const ttlSeconds = ttlOption(option(args, "ttl"));
  const json = args.flags.has("json");
  if (args.flags.has("dry-run")) return dryRun(t, config, json);
  if (t.admin && option(args, "key") === undefined) {
    const r = await t.admin.publish(t.env, { config, reason: t.reason });
    if (json) printJson(r);
    else print(`published ${t.env} version ${r.version} through ${t.where}`);
    return 0;
  }
  const key = await readPrivateKey(option(args, "key"));
  const { kid } = await publicJwk(key);
  const signAt = async (version: number) => ({ jws: await signOrExplain(config, { key, env: t.env, version, ttlSeconds }), kid: kid! });
  let version: number;
  if (t.admin) {
    // Signed here at the next free version; the Worker's writer answers 409 if another change took it first.
    version = (await current(t)).next;
    await t.admin.publish(t.env, { jws: (await signAt(version)).jws, reason: t.reason });
  } else {
    version = (await publish(t.store!, { env: t.env, change: { actor: t.actor, action: "publish", reason: t.reason }, sign: signAt })).version;
  }
  if (json) printJson({ env: t.env, version, kid });
  else print(`published ${t.env} version ${version} to ${t.where} (kid ${kid})`);
  return 0;
}
