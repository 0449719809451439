/**
 * The model router's view of the Worker's secrets: ROUTER_UPSTREAMS (a JSON object, secret name →
 * the origins that secret may be sent to) and the upstream keys themselves, read from the Worker
 * env by name, but only string secrets whose name is an upstream key name
 * (`^[A-Z][A-Z0-9_]{0,63}$`) listed in ROUTER_UPSTREAMS: a config can never make the router read
 * ADMIN_TOKEN, SIGNING_KEY or any other binding.
 *
 * @module
 */
import { HttpError } from "./http.ts";

const SECRET_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;

/** Parsed once per isolate and value. */
let parsed: { text: string; map: Readonly<Record<string, readonly string[]>> } | null = null;

/**
 * ROUTER_UPSTREAMS as a map; {} when unset or empty (then only `fixed` variants and variants
 * without a key secret can be called). Not a JSON object of string arrays → 500 MISCONFIGURED.
 *
 * @example
 * upstreamsOf(env) // → { OPENAI_API_KEY: ["https://api.openai.com"] }
 */
export function upstreamsOf(env: Env): Readonly<Record<string, readonly string[]>> {
  const raw: unknown = (env as unknown as Record<string, unknown>).ROUTER_UPSTREAMS;
  const text = typeof raw === "string" ? raw.trim() : "";
  if (parsed?.text === text) return parsed.map;
  const misconfigured = () => new HttpError(500, "MISCONFIGURED", 'ROUTER_UPSTREAMS must be a JSON object of secret name → origins, e.g. {"OPENAI_API_KEY": ["https://api.openai.com"]}');
  let value: unknown = {};
  try {
    if (text !== "") value = JSON.parse(text);
  } catch {
    throw misconfigured();
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw misconfigured();
  const map: Record<string, readonly string[]> = {};
  for (const [name, origins] of Object.entries(value)) {
    if (!SECRET_NAME.test(name) || !Array.isArray(origins) || !origins.every((o) => typeof o === "string")) throw misconfigured();
    map[name] = origins.map((o: string) => o.replace(/\/+$/, ""));
  }
  parsed = { text, map };
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
