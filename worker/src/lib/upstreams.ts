/**
 * Where upstream key secrets may go, from the ROUTER_UPSTREAMS var (wrangler.toml [vars]): read
 * once per isolate, and checked against a config before it is published. The router reads the
 * same map (`allowedUpstreams`) to refuse at call time, and reads the upstream keys through
 * `upstreamSecret`: only string secrets whose name is an upstream key name
 * (`^[A-Z][A-Z0-9_]{0,63}$`) listed in ROUTER_UPSTREAMS, so a config can never make the router
 * read ADMIN_TOKEN, SIGNING_KEY or any other binding.
 *
 * @module
 */
import type { FlagConfig } from "@edgeflag/config-schema";
import { checkUpstreams, parseUpstreams, SECRET_NAME, UpstreamsError, type AllowedUpstreams } from "@edgeflag/config-schema/domain";
import { HttpError } from "./http.ts";

let cached: { source: unknown; allowed: AllowedUpstreams } | undefined;

/**
 * The secret name → origins map of ROUTER_UPSTREAMS; a malformed var is a 503 UPSTREAMS_INVALID
 * naming the bad entry (an operator's mistake: nothing is sent anywhere until it is fixed).
 *
 * @example
 * const origins = allowedUpstreams(env)["OPENAI_API_KEY"] ?? [];
 */
export function allowedUpstreams(env: Env): AllowedUpstreams {
  const source: unknown = env.ROUTER_UPSTREAMS;
  if (cached !== undefined && cached.source === source) return cached.allowed;
  try {
    const allowed = parseUpstreams(source);
    cached = { source, allowed };
    return allowed;
  } catch (e) {
    if (e instanceof UpstreamsError) throw new HttpError(503, e.code, `${e.message} (wrangler.toml [vars])`);
    throw e;
  }
}

/**
 * Throws 400 UPSTREAM_NOT_ALLOWED, every error with its pointer (under `prefix`), when the
 * config would send a key secret to an origin ROUTER_UPSTREAMS does not allow for it.
 *
 * @example
 * refuseForeignUpstreams(env, config, "/config"); // pointers such as /config/flags/chat/variants/gpt-4/value/baseUrl
 */
export function refuseForeignUpstreams(env: Env, config: FlagConfig, prefix: string): void {
  const errors = checkUpstreams(config, allowedUpstreams(env)).map((e) => ({ pointer: prefix + e.pointer, message: e.message }));
  if (errors.length === 0) return;
  throw new HttpError(400, "UPSTREAM_NOT_ALLOWED", `${errors[0]!.pointer}: ${errors[0]!.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ""}`, { pointer: errors[0]!.pointer, errors });
}

/**
 * The value of the upstream key secret `name`: undefined unless the name is an upstream key name
 * listed in ROUTER_UPSTREAMS and the binding of that name is a non-empty string.
 *
 * @example
 * upstreamSecret(env, "OPENAI_API_KEY") // → "sk-…"; upstreamSecret(env, "ADMIN_TOKEN") → undefined
 */
export function upstreamSecret(env: Env, name: string): string | undefined {
  if (!SECRET_NAME.test(name) || !Object.hasOwn(allowedUpstreams(env), name)) return undefined;
  const value: unknown = (env as unknown as Record<string, unknown>)[name];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
