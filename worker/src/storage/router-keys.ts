/**
 * Router keys in D1 (table `router_keys`, worker/migrations/0008_router_keys.sql): the API keys
 * of the OpenAI-compatible routes, each named and scoped to one env. A key is
 * `efr1.<id>.<secret>`, made, stored (hashed) and found by ./credentials.ts, as admin tokens are;
 * the prefix keeps the two apart, so an admin token never opens the router and a router key never
 * opens the admin API.
 *
 * @module
 */
import { HttpError } from "../lib/http.ts";
import { auditOf, findCredential, newCredential, type CredentialInfo, type CredentialRow } from "./credentials.ts";

/** A router key as listed: never its secret nor its hash. */
export interface RouterKeyInfo extends CredentialInfo {
  env: string;
}

interface Row extends CredentialRow {
  env: string;
}

const info = (row: Row): RouterKeyInfo => ({ ...auditOf(row), env: row.env });

/**
 * The name and env of a live router key, or null for anything else (another shape, an admin
 * token, unknown id, wrong secret, revoked).
 *
 * @example
 * const key = await findRouterKey(env.DB, bearer); // { name: "app", env: "production" } or null
 */
export async function findRouterKey(db: D1Database, key: string, now = Date.now()): Promise<{ name: string; env: string } | null> {
  const cached = verified.get(key);
  if (cached !== undefined && cached.until > now) return { name: cached.name, env: cached.env };
  const row = await findCredential<Row>(db, "router_keys", "efr1", key);
  if (row === null) return null;
  // Each call of the model router carries its key: a key this isolate verified is trusted for
  // ROUTER_KEY_CACHE_MS more, so a call costs no D1 read; a revocation takes effect within that.
  if (verified.size >= MAX_CACHED_KEYS) verified.delete(verified.keys().next().value!);
  verified.set(key, { name: row.name, env: row.env, until: now + ROUTER_KEY_CACHE_MS });
  return { name: row.name, env: row.env };
}

/** How long an isolate trusts a router key it verified before it reads D1 again (a revocation holds within this). */
export const ROUTER_KEY_CACHE_MS = 10_000;
const MAX_CACHED_KEYS = 1000;
/** Router keys this isolate verified, with when to look again (only live keys: a refusal is never cached). */
const verified = new Map<string, { name: string; env: string; until: number }>();

/** Forgets every verified key of this isolate (a revocation here takes effect at once). */
export function forgetVerifiedKeys(): void {
  verified.clear();
}

/**
 * Makes a router key named `name` for `env` and answers it (the only time it exists outside the
 * caller); 409 ROUTER_KEY_EXISTS when a live key has that name.
 *
 * @example
 * const { key } = await createRouterKey(env.DB, { name: "app", env: "production", createdBy: "bootstrap" });
 */
export async function createRouterKey(db: D1Database, input: { name: string; env: string; createdBy: string }, now = Date.now()): Promise<RouterKeyInfo & { key: string }> {
  const { id, token, hash } = await newCredential("efr1");
  try {
    await db.prepare("INSERT INTO router_keys (id, name, env, hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)").bind(id, input.name, input.env, hash, now, input.createdBy).run();
  } catch (e) {
    if (!/UNIQUE constraint failed: router_keys\.name/.test(String(e))) throw e;
    throw new HttpError(409, "ROUTER_KEY_EXISTS", `a router key named "${input.name}" exists; revoke it first to replace it`, { pointer: "/name" });
  }
  return { key: token, name: input.name, env: input.env, createdAt: new Date(now).toISOString(), createdBy: input.createdBy };
}

/**
 * Every router key, live ones first then revoked, each by name.
 *
 * @example
 * const keys = await listRouterKeys(env.DB);
 */
export async function listRouterKeys(db: D1Database): Promise<RouterKeyInfo[]> {
  const { results } = await db.prepare("SELECT * FROM router_keys ORDER BY revoked_at IS NOT NULL, name, created_at").all<Row>();
  return results.map(info);
}

/**
 * Revokes the live router key named `name`; 404 ROUTER_KEY_NOT_FOUND when there is none.
 *
 * @example
 * await revokeRouterKey(env.DB, "app", "bootstrap");
 */
export async function revokeRouterKey(db: D1Database, name: string, revokedBy: string, now = Date.now()): Promise<RouterKeyInfo> {
  const row = await db.prepare("UPDATE router_keys SET revoked_at = ?, revoked_by = ? WHERE name = ? AND revoked_at IS NULL RETURNING *").bind(now, revokedBy, name).first<Row>();
  if (row === null) throw new HttpError(404, "ROUTER_KEY_NOT_FOUND", `no live router key is named "${name}"`, { pointer: "/name" });
  forgetVerifiedKeys(); // other isolates stop trusting it within ROUTER_KEY_CACHE_MS
  return info(row);
}
