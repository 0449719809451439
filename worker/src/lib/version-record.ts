/**
 * Who made a change, read from the request. The record itself is built by the shared domain
 * (`@edgeflag/config-schema/domain`), so the Worker and the CLI record versions alike.
 *
 * @module
 */
import { normalizeActor } from "@edgeflag/config-schema/domain";

/**
 * Who made a change: the `X-Edgeflag-Actor` header, else the body's `actor`, else "admin-api";
 * trimmed and cut to 64 characters.
 *
 * @example
 * actorOf(request, optionalString(body, "actor"))
 */
export function actorOf(request: Request, bodyActor?: string): string {
  return normalizeActor(request.headers.get("X-Edgeflag-Actor") ?? bodyActor);
}
