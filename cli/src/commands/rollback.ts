import { decodeSignedConfig, publicJwk } from "@edgeflag/sdk/signing";
import { publish, readVersion, stripSigningClaims } from "@edgeflag/config-schema/domain";
import { option, parseArgs, UsageError } from "../args.ts";
import { print, printJson } from "../io.ts";
import { readPrivateKey } from "../keys-io.ts";
import { TARGET_BOOLEANS, TARGET_USAGE, TARGET_VALUES, target } from "../target.ts";
import { signOrExplain, ttlOption } from "./sign.ts";

export const usage = `edgeflag rollback --env E --to N [--reason R] [--local] [--key private.jwk] [--json]

Republishes version N's content as a NEW, higher version, so clients that refuse older versions
accept it. The history records it as a rollback from N.
${TARGET_USAGE}`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: [...TARGET_VALUES, "to", "key", "ttl"], booleans: TARGET_BOOLEANS });
  const to = Number(option(args, "to"));
  if (!Number.isInteger(to) || to < 1) throw new UsageError("--to must be a version number");
  const t = target(args);
  const started = performance.now();
  let version: number;
  if (t.admin) {
    version = (await t.admin.rollback(t.env, to, t.reason)).version;
  } else {
    const content = stripSigningClaims(decodeSignedConfig(await readVersion(t.store!, t.env, to)).payload);
    const key = await readPrivateKey(option(args, "key"));
    const { kid } = await publicJwk(key);
    const ttlSeconds = ttlOption(option(args, "ttl"));
    const sign = async (v: number) => ({ jws: await signOrExplain(content, { key, env: t.env, version: v, ttlSeconds }), kid: kid! });
    version = (await publish(t.store!, { env: t.env, change: { actor: t.actor, action: "rollback", from: to, reason: t.reason }, sign })).version;
  }
  const ms = Math.round(performance.now() - started);
  if (args.flags.has("json")) printJson({ env: t.env, version, from: to, ms });
  else print(`rolled back ${t.env} to version ${to}'s content as version ${version} in ${t.where} (${ms} ms)`);
  return 0;
}
