// The dev root of trust (git-ignored, in .edgeflag/dev-root): made once, shared by `npm start`,
// the browser tests and the bench, so the example page built into public/ can pin its thumbprint.
// Each Worker started locally serves a key set this root signed for its own signing key.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { generateSigningKey, signKeySet, type JWK } from "../../sdk-js/src/signing/index.ts";

export const DEV_ROOT = ".edgeflag/dev-root/private.jwk";
/** What examples/browser/index.html says in place of the dev root's thumbprint until the build fills it in. */
export const ROOT_PLACEHOLDER = "DEV-ROOT-THUMBPRINT";

/** The dev root's private JWK (its kid is the thumbprint), made on first use. */
export async function devRoot(root = new URL("../../", import.meta.url).pathname): Promise<JWK> {
  const path = root + DEV_ROOT;
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    const { privateJwk } = await generateSigningKey("EdDSA");
    mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    try {
      writeFileSync(path, JSON.stringify(privateJwk, null, 2) + "\n", { mode: 0o600, flag: "wx" });
      return privateJwk;
    } catch {
      return JSON.parse(readFileSync(path, "utf8")); // another process made it first
    }
  }
}

/** The key set the dev root signs for `jwks` (version 1, a year): what KEY_SET is locally. */
export async function devKeySet(jwks: { keys: JWK[] }): Promise<string> {
  return signKeySet(jwks, { root: await devRoot(), version: 1, ttlSeconds: 365 * 86400 });
}
