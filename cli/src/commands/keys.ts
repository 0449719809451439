/**
 * `edgeflag keys`: signing keys, the offline root key, and the key set the root signs (contract 3).
 *
 * @module
 */
import { chmod, mkdir, writeFile, access } from "node:fs/promises";
import { join } from "node:path";
import { generateSigningKey, signKeySet, type JWK, type SigningAlg } from "@edgeflag/sdk/signing";
import { option, parseArgs, UsageError, type ParsedArgs } from "../args.ts";
import { CliError, print, printJson, requirePositionals } from "../io.ts";
import { readPrivateKey, readPublicKeys } from "../keys-io.ts";
import { ttlOption } from "./sign.ts";

export const usage = `edgeflag keys generate [--alg ES256|EdDSA] [--out DIR] [--force] [--json]
edgeflag keys root [--alg ES256|EdDSA] [--out DIR] [--force] [--json]
edgeflag keys sign-set --root <private.jwk> --keys <jwks.json> [--keys …] --version N [--ttl 90d] [--json]

generate: makes a signing key pair. Writes DIR/private.jwk (mode 0600, never printed),
  DIR/public.jwk and DIR/jwks.json (default DIR: .edgeflag/keys). The kid is the key's RFC 7638
  thumbprint. Prints the public JWK Set (the SDK's keys option, the Worker's PUBLIC_JWKS).
root: makes the offline root key (default DIR: .edgeflag/root) and prints its thumbprint: what
  clients pin (rootKey, data-root-key). Keep DIR/private.jwk offline; it signs only key sets.
sign-set: prints the key set the root signs: exactly the public keys of every --keys file, with
  --version (clients refuse a lower one than they accepted) and --ttl (default 90d). Serve it:
  wrangler secret put KEY_SET < keys.jws  (the Worker answers /.well-known/edgeflag-keys.jws).

Rotation, with clients pinning only the root:
  1. edgeflag keys generate --out keys/k2, then sign-set --keys keys/k1/jwks.json
     --keys keys/k2/jwks.json --version N+1, and serve it: both keys verify.
  2. sign configs with keys/k2/private.jwk (SIGNING_KEY, --key).
  3. after the grace period (the longest a client keeps an old config), sign-set --keys
     keys/k2/jwks.json --version N+2, and serve it: k1 verifies nothing any more.`;

/** Writes a new key pair to `out` unless a private key is there (then --force is needed). */
async function writeKeyPair(args: ParsedArgs, out: string, why: string): Promise<{ privatePath: string; publicJwk: JWK }> {
  const alg = (option(args, "alg") ?? "ES256") as SigningAlg;
  if (alg !== "ES256" && alg !== "EdDSA") throw new UsageError(`--alg must be ES256 or EdDSA, not "${alg}"`);
  const privatePath = join(out, "private.jwk");
  if (!args.flags.has("force") && (await access(privatePath).then(() => true, () => false))) {
    throw new CliError(`${privatePath} exists; pass --force to replace it (${why})`);
  }
  const { privateJwk, publicJwk } = await generateSigningKey(alg);
  await mkdir(out, { recursive: true });
  await writeFile(privatePath, JSON.stringify(privateJwk, null, 2) + "\n", { mode: 0o600 });
  await chmod(privatePath, 0o600);
  await writeFile(join(out, "public.jwk"), JSON.stringify(publicJwk, null, 2) + "\n");
  return { privatePath, publicJwk };
}

async function generate(args: ParsedArgs): Promise<number> {
  const out = option(args, "out") ?? ".edgeflag/keys";
  const { privatePath, publicJwk } = await writeKeyPair(args, out, "clients that trust its kid would refuse new configs");
  const jwks = JSON.stringify({ keys: [publicJwk] }, null, 2);
  await writeFile(join(out, "jwks.json"), jwks + "\n");
  if (!args.flags.has("json")) process.stderr.write(`wrote ${privatePath} (0600), ${join(out, "public.jwk")}, ${join(out, "jwks.json")}; kid ${publicJwk.kid}\n`);
  print(jwks);
  return 0;
}

async function root(args: ParsedArgs): Promise<number> {
  const out = option(args, "out") ?? ".edgeflag/root";
  const { privatePath, publicJwk } = await writeKeyPair(args, out, "clients that pin this root would refuse every key set");
  if (args.flags.has("json")) return printJson({ thumbprint: publicJwk.kid, publicJwk }), 0;
  process.stderr.write(`wrote ${privatePath} (0600, keep it offline) and ${join(out, "public.jwk")}; clients pin the thumbprint:\n`);
  print(publicJwk.kid!);
  return 0;
}

async function signSet(args: ParsedArgs): Promise<number> {
  const rootPath = option(args, "root");
  const sources = args.options.get("keys") ?? [];
  const version = Number(option(args, "version"));
  if (!rootPath) throw new UsageError("--root is required (the root's private.jwk, from edgeflag keys root)");
  if (sources.length === 0) throw new UsageError("--keys is required (a JWK Set or public JWK; repeat it to list several)");
  if (!Number.isSafeInteger(version) || version < 1) throw new UsageError("--version must be a whole number of at least 1");
  const ttlSeconds = ttlOption(option(args, "ttl") ?? "90d");
  const rootKey = await readPrivateKey(rootPath);
  const keys = (await Promise.all(sources.map(readPublicKeys))).flatMap((set) => set.keys);
  let jws: string;
  try {
    jws = await signKeySet({ keys }, { root: rootKey, version, ttlSeconds });
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const kids = JSON.parse(atob(jws.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))).keys.map((k: JWK) => k.kid);
  if (args.flags.has("json")) return printJson({ jws, version, kids }), 0;
  process.stderr.write(`key set version ${version}, valid ${ttlSeconds} s, keys ${kids.join(", ")}\n`);
  print(jws);
  return 0;
}

const SUBCOMMANDS: Record<string, (args: ParsedArgs) => Promise<number>> = { generate, root, "sign-set": signSet };

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ["alg", "out", "root", "keys", "version", "ttl"], booleans: ["force"] });
  const [sub] = requirePositionals(args.positionals, ["generate|root|sign-set"]);
  const command = Object.hasOwn(SUBCOMMANDS, sub!) ? SUBCOMMANDS[sub!] : undefined;
  if (!command) throw new UsageError(`unknown keys command "${sub}" (generate, root or sign-set)`);
  return command(args);
}
