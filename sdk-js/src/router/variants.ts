/**
 * What the router reads of a flag's variants: which values are model calls, the chain of
 * fallbacks of an assigned variant, and whether a variant's upstream key may go where it points
 * (the call-time half of "no route to someone else's wallet"; publish checks the same map).
 *
 * @module
 */
import { isModelCall, type FlagConfig } from "@edgeflag/config-schema";
import { upstreamOrigin, upstreamRefusal, type AllowedUpstreams } from "@edgeflag/config-schema/domain";
import type { ModelCall } from "../llm/types.ts";
import { RouterError } from "./errors.ts";

/** A flag of a config. */
export type Flag = FlagConfig["flags"][string];

/**
 * The value as a ModelCall, when it is one (an object with a `provider`, which the schema
 * validated as a ModelCall at publish), else null.
 *
 * @example
 * modelCallOf({ provider: "fixed", answer: "42" }) // → the call; modelCallOf("gpt-4") → null
 */
export function modelCallOf(value: unknown): ModelCall | null {
  return isModelCall(value) ? (value as ModelCall) : null;
}

/**
 * Whether any variant of the flag is a model call (the flags `GET /v1/models` lists).
 *
 * @example
 * const models = Object.keys(config.flags).filter((k) => routable(config.flags[k]!));
 */
export function routable(flag: Flag): boolean {
  return Object.values(flag.variants ?? {}).some((v) => modelCallOf(v.value) !== null);
}

/** One link of a fallback chain. */
export interface Link {
  variant: string;
  call: ModelCall;
}

/** 403 upstream_not_allowed when `call` would send its secret to an origin ROUTER_UPSTREAMS does not allow for it (config-schema's rule, as at publish). */
function checkUpstream(flagKey: string, { call, variant }: Link, upstreams: AllowedUpstreams): void {
  const refusal = upstreamRefusal(call, upstreams);
  if (refusal === null) return;
  throw new RouterError(403, {
    message: `variant "${variant}" of flag "${flagKey}" calls ${upstreamOrigin(call) ?? "an invalid base URL"}: ${refusal}; nothing was sent`,
    type: "permission_error",
    param: "model",
    code: "upstream_not_allowed",
  });
}

/**
 * The assigned variant and its fallbacks, in order (at most `maxFallbacks` after it, stopping at a
 * loop or a value that is not a model call), each checked against the allowed upstreams before
 * anything is sent: one variant pointing its secret elsewhere refuses the whole call.
 *
 * @example
 * const chain = chainOf("chat-model", flag, "gpt-4o", 3, upstreams); // [{variant: "gpt-4o", call}, {variant: "mini", call}]
 */
export function chainOf(flagKey: string, flag: Flag, assigned: string, maxFallbacks: number, upstreams: AllowedUpstreams): Link[] {
  const chain: Link[] = [];
  const seen = new Set<string>();
  for (let variant: string | undefined = assigned; variant !== undefined && !seen.has(variant) && chain.length <= maxFallbacks; ) {
    const call = modelCallOf(flag.variants?.[variant]?.value);
    if (call === null) break;
    seen.add(variant);
    chain.push({ variant, call });
    variant = call.fallback;
  }
  for (const link of chain) checkUpstream(flagKey, link, upstreams);
  return chain;
}
