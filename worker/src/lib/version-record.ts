/**
 * Who made a change: the caller the admin token names (src/lib/auth.ts), never a name the request
 * declares. The record itself is built by the shared domain (`@edgeflag/config-schema/domain`),
 * so the Worker and the CLI record versions alike.
 *
 * @module
 */
import type { Caller } from "./auth.ts";

/**
 * The actor recorded for a change: the calling token's name ("bootstrap" for ADMIN_TOKEN).
 * Throws on a route that ran without a caller (a public route cannot record a change).
 *
 * @example
 * const change = { actor: actorOf(caller), reason: optionalString(body, "reason"), action: "kill" as const };
 */
export function actorOf(caller: Caller | null): string {
  if (caller === null) throw new Error("a change was made on a route without an admin caller: its access rule must be admin");
  return caller.name;
}
