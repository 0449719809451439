import { ConfigVerificationError, parseDuration, signConfig } from "@edgeflag/sdk/signing";
import { option, parseArgs, UsageError } from "../args.ts";
import { CliError, print, readJson, requirePositionals } from "../io.ts";
import { readPrivateKey } from "../keys-io.ts";

export const usage = `edgeflag sign <config> --key <private.jwk> --env E --version N [--ttl 30d]

Validates the config (refusing an invalid one with every error), then prints the compact JWS of
its payload plus env, version, iat and exp. --ttl takes s, m, h, d or w (default 30d).`;

/** Parses --ttl; shared with publish and rollback. */
export function ttlOption(text: string | undefined): number {
  const seconds = parseDuration(text ?? "30d");
  if (!(seconds > 0)) throw new UsageError(`--ttl "${text}" is not a duration such as 30d, 12h or 3600`);
  return seconds;
}

/** Signs, turning an invalid config into a CliError listing every pointer. */
export async function signOrExplain(...args: Parameters<typeof signConfig>): Promise<string> {
  try {
    return await signConfig(...args);
  } catch (e) {
    if (e instanceof ConfigVerificationError) throw new CliError(e.message, e.errors);
    throw e;
  }
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ["key", "env", "version", "ttl"] });
  const [file] = requirePositionals(args.positionals, ["config"]);
  const env = option(args, "env");
  const version = Number(option(args, "version"));
  if (!env) throw new UsageError("--env is required");
  if (!Number.isInteger(version) || version < 1) throw new UsageError("--version must be a whole number of at least 1");
  const ttlSeconds = ttlOption(option(args, "ttl"));
  const key = await readPrivateKey(option(args, "key"));
  print(await signOrExplain((await readJson(file!)) as never, { key, env, version, ttlSeconds }));
  return 0;
}
