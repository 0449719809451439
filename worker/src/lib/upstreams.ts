/**
 * The model router's view of the Worker's secrets: ROUTER_UPSTREAMS (a JSON object, secret name →
 * the origins that secret may be sent to) and the upstream keys themselves, read from the Worker
 * env by name, but only string secrets whose name is an upstream key name
 * (`^[A-Z][A-Z0-9_]{0,63}$`) listed in ROUTER_UPSTREAMS: a config can never make the router read
 * ADMIN_TOKEN, SIGNING_KEY or any other binding.
 *
 * @module
 */
import { parseUpstreams, UpstreamsError, type AllowedUpstreams } from "@edgeflag/config-schema/domain";
import { HttpError } from "./http.ts";

const SECRET_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;

/** Parsed once per isolate and value. */
let parsed: { raw: unknown; map: AllowedUpstreams } | null = null;

/**
 * ROUTER_UPSTREAMS as a map (config-schema's parser: a JSON text or a TOML table); {} when unset
 * or empty, so only `fixed` variants and variants without a key secret can be called. Malformed,
 * or naming a secret that is not an upstream key name → 500 MISCONFIGURED.
 *
 * @example
 * upstreamsOf(env) // → { OPENAI_API_KEY: ["https://api.openai.com"] }
 */
export function upstreamsOf(env: Env): AllowedUpstreams {
  const raw: unknown = (env as unknown as Record<string, unknown>).ROUTER_UPSTREAMS;
  if (parsed !== null && parsed.raw === raw) return parsed.map;
  let map: AllowedUpstreams;
  try {
    map = parseUpstreams(raw);
  } catch (e) {
    throw new HttpError(500, "MISCONFIGURED", e instanceof UpstreamsError ? e.message : "ROUTER_UPSTREAMS is not valid");
  }
  const bad = Object.keys(map).find((name) => !SECRET_NAME.test(name));
  if (bad !== undefined) throw new HttpError(500, "MISCONFIGURED", `ROUTER_UPSTREAMS names ${JSON.stringify(bad)}: a secret name is ^[A-Z][A-Z0-9_]{0,63}$`);
  parsed = { raw, map };
  return map;
}

/**
 * The value of the upstream key secret `name`: undefined unless the name is listed in
 * ROUTER_UPSTREAMS and the binding of that name is a non-empty string.
 *
 * @example
 * upstreamSecret(env, "OPENAI_API_KEY") // → "sk-…"; upstreamSecret(env, "ADMIN_TOKEN") → undefined
 */
export function upstreamSecret(env: Env, name: string): string | undefined {
  if (!SECRET_NAME.test(name) || !Object.hasOwn(upstreamsOf(env), name)) return undefined;
  const value: unknown = (env as unknown as Record<string, unknown>)[name];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
