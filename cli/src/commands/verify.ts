import { ConfigVerificationError, verifyConfig, verifyKeySet, type JWK, type JWKSet } from "@edgeflag/sdk/signing";
import { option, parseArgs, UsageError } from "../args.ts";
import { CliError, print, printJson, readJson, requirePositionals } from "../io.ts";
import { readPublicKeys, readText } from "../keys-io.ts";

export const usage = `edgeflag verify <jws-file|-|URL> --keys <public.jwk|jwks.json|URL> --env E [--min-version N] [--json]
edgeflag verify <jws-file|-|URL> --root <thumbprint|root public.jwk> --key-set <keys.jws|URL> --env E [--json]

Verifies a signed config as every SDK does: with the keys given, or with the keys of the key set
the pinned root signed (the key set is checked first: root signature, typ, expiry). Exit 0 printing its env, version and flags; exit 1
with the refusal code: TOO_LARGE, MALFORMED, ALG_NOT_ALLOWED, UNKNOWN_KID, SIGNATURE_INVALID,
WRONG_ENV, ROLLBACK, EXPIRED or SCHEMA_INVALID.`;

/** A JWT time (seconds) as an ISO date, or as the number when it is past JavaScript's dates. */
function instant(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `at ${seconds} s since the epoch (past year 275760)` : date.toISOString();
}

/** The keys of the key set at `source`, verified with the root (a thumbprint, or a file holding its public JWK). */
async function keysOfSet(root: string, source: string): Promise<JWKSet> {
  const pin = /^[A-Za-z0-9_-]{43}$/.test(root) ? root : ((await readJson(root)) as JWK);
  const set = await verifyKeySet(await readText(source), { root: pin }).catch((e: ConfigVerificationError) => {
    throw new CliError(`key set refused: ${e.code}: ${e.message}`);
  });
  return { keys: set.keys };
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ["keys", "env", "min-version", "root", "key-set"] });
  const [source] = requirePositionals(args.positionals, ["jws-file"]);
  const env = option(args, "env");
  const keysSource = option(args, "keys");
  if (!env) throw new UsageError("--env is required");
  const root = option(args, "root");
  const keySet = option(args, "key-set");
  if (!keysSource && !(root && keySet)) throw new UsageError("--keys is required (or --root with --key-set)");
  const minVersion = Number(option(args, "min-version") ?? 0);
  if (!Number.isInteger(minVersion) || minVersion < 0) throw new UsageError("--min-version must be a whole number");
  try {
    const keys: JWKSet = keysSource ? await readPublicKeys(keysSource) : await keysOfSet(root!, keySet!);
    const v = await verifyConfig((await readText(source!)).trim(), { keys, env, minVersion });
    if (args.flags.has("json")) {
      printJson({ valid: true, env: v.env, version: v.version, kid: v.kid, alg: v.alg, iat: v.iat, exp: v.exp, flags: Object.keys(v.config.flags) });
    } else {
      print(`verified: env ${v.env}, version ${v.version}, signed by ${v.kid} (${v.alg}), expires ${instant(v.exp)}`);
      print(`flags: ${Object.keys(v.config.flags).join(", ") || "(none)"}`);
    }
    return 0;
  } catch (e) {
    if (!(e instanceof ConfigVerificationError)) throw e;
    if (args.flags.has("json")) {
      printJson({ valid: false, code: e.code, message: e.message });
      return 1;
    }
    throw new CliError(`${e.code}: ${e.message}`);
  }
}
