/**
 * `GET /v1/models`: the flags of the env a caller may use as models (those with a variant whose
 * value is a model call), in OpenAI's list shape.
 *
 * @module
 */
import type { FlagConfig } from "@edgeflag/config-schema";
import { routable } from "./variants.ts";

/**
 * The model list of a config: `created` is the config's signing time (seconds), `owned_by` edgeflag.
 *
 * @example
 * modelList(config) // → { object: "list", data: [{ id: "chat-model", object: "model", created: 1764000000, owned_by: "edgeflag" }] }
 */
export function modelList(config: Readonly<FlagConfig>): { object: "list"; data: Array<{ id: string; object: "model"; created: number; owned_by: "edgeflag" }> } {
  const created = config.iat ?? 0;
  const data = Object.entries(config.flags)
    .filter(([, flag]) => routable(flag))
    .map(([id]) => ({ id, object: "model" as const, created, owned_by: "edgeflag" as const }));
  return { object: "list", data };
}
