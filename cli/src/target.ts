/**
 * The options every command that touches published configs shares: where (local KV state,
 * the real namespace through wrangler, or the admin API), who, and why.
 *
 * @module
 */
import { hostname, userInfo } from "node:os";
import { ENV_PATTERN } from "@edgeflag/config-schema";
import { option, UsageError, type ParsedArgs } from "./args.ts";
import { AdminClient } from "./admin.ts";
import { WranglerStore } from "./store.ts";

export const TARGET_VALUES = ["env", "persist-to", "wrangler-config", "url", "token", "actor", "reason"];
export const TARGET_BOOLEANS = ["local"];
export const TARGET_USAGE = `Where: --local (wrangler dev's state; --persist-to DIR for another folder), the real KV
namespace through wrangler by default, or --url <worker> --token <admin token> for the admin API,
where the Worker records the token's name as who made the change. --wrangler-config
path/to/wrangler.toml; --actor NAME (the KV paths only; default user@host); --reason TEXT.`;

export interface Target {
  env: string;
  actor: string;
  reason?: string;
  store?: WranglerStore;
  admin?: AdminClient;
  where: string;
}

export function target(args: ParsedArgs): Target {
  const env = option(args, "env");
  if (!env) throw new UsageError("--env is required");
  if (!ENV_PATTERN.test(env)) throw new UsageError(`--env "${env}" must be 1 to 64 of A-Z a-z 0-9 _ -`);
  const declared = option(args, "actor");
  const actor = declared ?? process.env.EDGEFLAG_ACTOR ?? `${userInfo().username}@${hostname()}`;
  // Cut to fit KV metadata by makeRecord (shared with the Worker), never mid-character here.
  const reason = option(args, "reason");
  const url = option(args, "url");
  if (url) {
    // The Worker takes who made a change from the token, never from the request.
    if (declared !== undefined) throw new UsageError("--actor is for the KV paths: through --url the Worker records the token's name (make one per person with edgeflag tokens create)");
    return { env, actor, reason, admin: AdminClient.connect({ url, token: option(args, "token"), local: false }, "--url"), where: url };
  }
  const local = args.flags.has("local");
  const store = new WranglerStore({ local, persistTo: option(args, "persist-to"), wranglerConfig: option(args, "wrangler-config") });
  return { env, actor, reason, store, where: local ? "local KV" : "KV (remote)" };
}
