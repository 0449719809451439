/**
 * Cloudflare Access as a way in to the admin API: when ACCESS_TEAM_DOMAIN and ACCESS_AUD are set,
 * the `Cf-Access-Jwt-Assertion` header Access adds is verified with jose against the team's JWKS
 * (`https://<team>/cdn-cgi/access/certs`, fetched and cached by jose), its issuer (the team
 * domain) and audience (the application's AUD tag), and the caller is named by the JWT's `email`
 * (a person) or `common_name` (a service token). The Access policy decides who gets in; such a
 * caller has role admin.
 *
 * @module
 */
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { Caller } from "./auth.ts";
import { HttpError } from "./http.ts";

/** One key set per team domain per isolate: jose caches the keys and refetches on an unknown kid. */
const keySets = new Map<string, JWTVerifyGetKey>();

/** The team's origin (`https://` added to a bare domain) and the AUD tag, or null when Access is off. */
function accessSettings(env: Env): { issuer: string; audience: string } | null {
  const domain = (env.ACCESS_TEAM_DOMAIN ?? "").trim().replace(/\/+$/, "");
  const audience = (env.ACCESS_AUD ?? "").trim();
  if (domain === "" || audience === "") return null;
  return { issuer: /^https?:\/\//.test(domain) ? domain : `https://${domain}`, audience };
}

function invalid(): HttpError {
  return new HttpError(401, "UNAUTHORIZED", "the Cloudflare Access assertion is not valid", { headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' } });
}

/**
 * The caller a request's Access JWT names; null when Access is off or the request carries no
 * `Cf-Access-Jwt-Assertion`; 401 when the JWT does not verify (signature, issuer, audience,
 * expiry) or names nobody.
 *
 * @example
 * const caller = await accessCaller(request, env); // { name: "ana@example.com", role: "admin" }
 */
export async function accessCaller(request: Request, env: Env): Promise<Caller | null> {
  const settings = accessSettings(env);
  const assertion = request.headers.get("Cf-Access-Jwt-Assertion");
  if (settings === null || assertion === null) return null;
  let keys = keySets.get(settings.issuer);
  if (keys === undefined) keySets.set(settings.issuer, (keys = createRemoteJWKSet(new URL(`${settings.issuer}/cdn-cgi/access/certs`))));
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(assertion.trim(), keys, { issuer: settings.issuer, audience: settings.audience, algorithms: ["RS256"] }));
  } catch {
    throw invalid();
  }
  const name = [payload.email, payload.common_name].find((v): v is string => typeof v === "string" && v.trim() !== "");
  if (name === undefined) throw invalid();
  return { name: name.trim(), role: "admin" };
}
