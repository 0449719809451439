/**
 * No route to someone else's wallet: an upstream key secret may only be sent to the origins
 * `ROUTER_UPSTREAMS` (wrangler.toml [vars]) allows for it. `checkUpstreams` is pure: the Worker's
 * admin publish and the CLI's publish refuse a config that breaks it, and the router runs it
 * again at call time (the map may have changed since the config was published).
 *
 * @module
 */
import { pointer, type ValidationError } from "../errors.ts";
import { isModelCall } from "../model-call.ts";
import type { ModelCall } from "../types.gen.ts";

/** Secret name → the origins (scheme://host[:port]) it may be sent to. */
export type AllowedUpstreams = Readonly<Record<string, readonly string[]>>;

/** The base URL a provider calls when a model call names none. */
export const DEFAULT_BASE_URLS: Readonly<Record<"openai" | "anthropic", string>> = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com/v1",
};

/** A secret's name, as a model call's apiKeySecret spells it (flag-config.v1.json). */
export const SECRET_NAME: RegExp = /^[A-Z][A-Z0-9_]{0,63}$/;

/** A malformed ROUTER_UPSTREAMS value. */
export class UpstreamsError extends Error {
  readonly code = "UPSTREAMS_INVALID";
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null && !Array.isArray(v);

/** `origin` as `new URL` writes it, when it is exactly an http(s) origin. */
function exactOrigin(origin: unknown): string | null {
  if (typeof origin !== "string") return null;
  try {
    const url = new URL(origin);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === origin.replace(/\/$/, "").toLowerCase() ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * Reads ROUTER_UPSTREAMS: an object (a TOML table in wrangler.toml) or its JSON text, each secret
 * name mapped to a list of origins. Throws UpstreamsError naming the first bad entry.
 *
 * @example
 * parseUpstreams('{"OPENAI_API_KEY": ["https://api.openai.com"]}') // { OPENAI_API_KEY: ["https://api.openai.com"] }
 */
export function parseUpstreams(value: unknown): AllowedUpstreams {
  let map = value;
  if (typeof value === "string") {
    try {
      map = value.trim() === "" ? {} : JSON.parse(value);
    } catch {
      throw new UpstreamsError("ROUTER_UPSTREAMS is not JSON: it maps each secret name to a list of origins");
    }
  }
  if (map === undefined || map === null) return {};
  if (!isObject(map)) throw new UpstreamsError("ROUTER_UPSTREAMS must map each secret name to a list of origins");
  const out: Record<string, string[]> = {};
  for (const [secret, origins] of Object.entries(map)) {
    // Only names an apiKeySecret can have: `__proto__` would otherwise set the map's prototype.
    if (!SECRET_NAME.test(secret)) throw new UpstreamsError(`ROUTER_UPSTREAMS.${secret}: a secret name is an upper-case letter, then up to 63 of A-Z 0-9 _`);
    if (!Array.isArray(origins)) throw new UpstreamsError(`ROUTER_UPSTREAMS.${secret} must be a list of origins`);
    out[secret] = origins.map((o) => {
      const origin = exactOrigin(o);
      if (origin === null) throw new UpstreamsError(`ROUTER_UPSTREAMS.${secret}: ${JSON.stringify(o)} is not an origin such as https://api.openai.com`);
      return origin;
    });
  }
  return out;
}

/**
 * The origin a model call sends its requests to: its baseUrl's, else its provider's default;
 * null for `fixed` (it calls nobody) or a call without a usable URL.
 *
 * @example
 * upstreamOrigin({ provider: "anthropic", model: "claude-sonnet-4-5", apiKeySecret: "ANTHROPIC_API_KEY" }) === "https://api.anthropic.com"
 */
export function upstreamOrigin(call: Pick<ModelCall, "provider" | "baseUrl">): string | null {
  const base = call.baseUrl ?? (call.provider === "openai" || call.provider === "anthropic" ? DEFAULT_BASE_URLS[call.provider] : undefined);
  if (call.provider === "fixed" || typeof base !== "string") return null;
  try {
    return new URL(base).origin;
  } catch {
    return null;
  }
}

/**
 * Whether a model call may send its secret where it goes; the reason when not.
 *
 * @example
 * refusal({ provider: "openai", model: "m", apiKeySecret: "OPENAI_API_KEY", baseUrl: "https://evil.example/v1" }, allowed)
 * // → "secret OPENAI_API_KEY may only be sent to https://api.openai.com, not https://evil.example"
 */
export function upstreamRefusal(call: Pick<ModelCall, "provider" | "baseUrl" | "apiKeySecret">, allowed: AllowedUpstreams): string | null {
  const secret = call.apiKeySecret;
  if (typeof secret !== "string" || call.provider === "fixed") return null;
  const origin = upstreamOrigin(call);
  const origins = Object.hasOwn(allowed, secret) ? allowed[secret]! : [];
  if (origins.length === 0) return `secret ${secret} may be sent to no upstream: ROUTER_UPSTREAMS (wrangler.toml) allows it no origin`;
  if (origin !== null && origins.includes(origin)) return null;
  return `secret ${secret} may only be sent to ${origins.join(", ")}, not ${origin ?? "this base URL"}`;
}

/**
 * Every model call of a config whose secret would go to an origin not allowed for it, each
 * pointing at the call's baseUrl (or its apiKeySecret when the provider's default is used).
 *
 * @example
 * checkUpstreams(config, { OPENAI_API_KEY: ["https://api.openai.com"] })
 * // → [{ pointer: "/flags/chat-model/variants/gpt-4/value/baseUrl", message: "secret OPENAI_API_KEY may only be sent to https://api.openai.com, not https://evil.example" }]
 */
export function checkUpstreams(config: unknown, allowed: AllowedUpstreams): ValidationError[] {
  const flags = isObject(config) && isObject(config.flags) ? config.flags : {};
  const errors: ValidationError[] = [];
  for (const [flagKey, flag] of Object.entries(flags)) {
    const variants = isObject(flag) && isObject(flag.variants) ? flag.variants : {};
    for (const [key, variant] of Object.entries(variants)) {
      const call = isObject(variant) ? variant.value : undefined;
      if (!isModelCall(call)) continue;
      const message = upstreamRefusal(call, allowed);
      if (message !== null) errors.push({ pointer: pointer("flags", flagKey, "variants", key, "value", call.baseUrl === undefined ? "apiKeySecret" : "baseUrl"), message });
    }
  }
  return errors;
}
