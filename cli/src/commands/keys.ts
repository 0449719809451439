import { chmod, mkdir, writeFile, access } from "node:fs/promises";
import { join } from "node:path";
import { generateSigningKey, type SigningAlg } from "@edgeflag/sdk/signing";
import { option, parseArgs, UsageError } from "../args.ts";
import { CliError, print, requirePositionals } from "../io.ts";

export const usage = `edgeflag keys generate [--alg ES256|EdDSA] [--out DIR] [--force] [--json]

Makes a signing key pair. Writes DIR/private.jwk (mode 0600, never printed), DIR/public.jwk and
DIR/jwks.json (default DIR: .edgeflag/keys). The kid is the key's RFC 7638 thumbprint. Prints
the public JWK Set, the form the SDK (keys option) and the Worker (PUBLIC_JWKS) take.`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ["alg", "out"], booleans: ["force"] });
  const [sub] = requirePositionals(args.positionals, ["generate"]);
  if (sub !== "generate") throw new UsageError(`unknown keys command "${sub}"`);
  const alg = (option(args, "alg") ?? "ES256") as SigningAlg;
  if (alg !== "ES256" && alg !== "EdDSA") throw new UsageError(`--alg must be ES256 or EdDSA, not "${alg}"`);
  const out = option(args, "out") ?? ".edgeflag/keys";
  const privatePath = join(out, "private.jwk");
  if (!args.flags.has("force") && (await access(privatePath).then(() => true, () => false))) {
    throw new CliError(`${privatePath} exists; pass --force to replace it (clients that trust its kid would refuse new configs)`);
  }
  const { privateJwk, publicJwk } = await generateSigningKey(alg);
  await mkdir(out, { recursive: true });
  await writeFile(privatePath, JSON.stringify(privateJwk, null, 2) + "\n", { mode: 0o600 });
  await chmod(privatePath, 0o600);
  await writeFile(join(out, "public.jwk"), JSON.stringify(publicJwk, null, 2) + "\n");
  const jwks = JSON.stringify({ keys: [publicJwk] }, null, 2);
  await writeFile(join(out, "jwks.json"), jwks + "\n");
  if (!args.flags.has("json")) process.stderr.write(`wrote ${privatePath} (0600), ${join(out, "public.jwk")}, ${join(out, "jwks.json")}; kid ${publicJwk.kid}\n`);
  print(jwks);
  return 0;
}
