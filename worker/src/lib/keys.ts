/**
 * The Worker's keys: SIGNING_KEY (a private JWK secret) and the public keys it trusts and serves
 * (PUBLIC_JWKS plus SIGNING_KEY's public half). Parsed once per isolate and value, so jose's
 * imported CryptoKeys are reused across requests.
 *
 * @module
 */
import { algOfKey, keyList, publicJwk, type JWK, type JWKSet } from "@edgeflag/sdk/signing";
import { HttpError } from "./http.ts";
import { secret } from "./secrets.ts";

const misconfigured = (message: string) => new HttpError(500, "MISCONFIGURED", message);
const parsed = new Map<string, Promise<JWK | undefined> | Promise<JWK[]>>();

function once<T extends JWK | undefined | JWK[]>(key: string, make: () => Promise<T>): Promise<T> {
  let value = parsed.get(key) as Promise<T> | undefined;
  if (value === undefined) {
    value = make();
    if (parsed.size > 16) parsed.clear();
    parsed.set(key, value as Promise<JWK | undefined> | Promise<JWK[]>);
    value.catch(() => parsed.delete(key));
  }
  return value;
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw misconfigured(`${name} is not valid JSON`);
  }
}

/**
 * The private signing key from SIGNING_KEY, or undefined when none is set. A set but unusable
 * key is a server error (500 MISCONFIGURED), never silently ignored.
 *
 * @example
 * const key = await signingKey(env);
 * if (!key) throw new HttpError(501, "NO_SIGNING_KEY", "send a pre-signed JWS");
 */
export function signingKey(env: Env): Promise<JWK | undefined> {
  const raw = secret(env, "SIGNING_KEY");
  if (raw === undefined) return Promise.resolve(undefined);
  return once(`signing\u0000${raw}`, async () => {
    const jwk = parseJson(raw, "SIGNING_KEY") as JWK;
    if (typeof jwk !== "object" || jwk === null || algOfKey(jwk) === null || typeof jwk.d !== "string") {
      throw misconfigured("SIGNING_KEY must be a private P-256 (ES256) or Ed25519 (EdDSA) JWK");
    }
    return { ...jwk, kid: (await publicJwk(jwk)).kid };
  });
}

/**
 * The public keys the Worker trusts and serves: every key of PUBLIC_JWKS (private parts dropped),
 * then SIGNING_KEY's public half unless a key with its kid is already there.
 *
 * @example
 * await verifyConfig(jws, { keys: await publicKeys(env), env: "production" });
 */
export function publicKeys(env: Env): Promise<JWK[]> {
  const raw: unknown = env.PUBLIC_JWKS;
  const text = typeof raw === "string" ? raw.trim() : "";
  return once(`public\u0000${text}\u0000${secret(env, "SIGNING_KEY") ?? ""}`, async () => {
    const keys: JWK[] = [];
    if (text !== "") {
      const set = parseJson(text, "PUBLIC_JWKS");
      if (typeof set !== "object" || set === null) throw misconfigured("PUBLIC_JWKS must be a JWK Set: {\"keys\": [...]}");
      for (const jwk of keyList(set as JWKSet)) {
        if (typeof jwk !== "object" || jwk === null || algOfKey(jwk) === null) {
          throw misconfigured("every key of PUBLIC_JWKS must be a P-256 (ES256) or Ed25519 (EdDSA) JWK");
        }
        keys.push(await publicJwk(jwk));
      }
    }
    const own = await signingKey(env);
    if (own !== undefined && !keys.some((k) => k.kid === own.kid)) keys.push(await publicJwk(own));
    return keys;
  });
}
