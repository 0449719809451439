/**
 * Named admin tokens in D1 (table `admin_tokens`, worker/migrations/0004_admin_tokens.sql).
 * A token is `eft1.<id>.<secret>`, made, stored (hashed) and found by ./credentials.ts, which
 * router keys (./router-keys.ts, `efr1.…`) share.
 *
 * D1 rather than KV or a Durable Object: KV is eventually consistent (a revoked token would keep
 * working for up to a minute), while D1 answers from its primary, so a revocation holds at the
 * next request; the partial unique index makes "one live token per name" a database rule, and
 * operators can read who made and revoked what with `wrangler d1 execute`. A ConfigWriter-style
 * Durable Object would be as consistent, but tokens are not per env: it would be one global
 * object every admin request waits on, for nothing D1 does not already give.
 *
 * @module
 */
import { HttpError } from "../lib/http.ts";
import { auditOf, findCredential, newCredential, type CredentialInfo, type CredentialRow } from "./credentials.ts";

/** What a token may do: `admin` everything, `read` only the GET routes (results, history, audit). */
export type Role = "admin" | "read";

/** A token as listed: never its secret nor its hash. */
export interface TokenInfo extends CredentialInfo {
  role: Role;
}

interface Row extends CredentialRow {
  role: Role;
}

function info(row: Row): TokenInfo {
  return { ...auditOf(row), role: row.role };
}

/**
 * The name and role of a live named token, or null for anything else (not of the token's shape,
 * unknown id, wrong secret, revoked): the caller answers all of those alike. The hash is compared
 * in constant time.
 *
 * @example
 * const who = await findToken(env.DB, bearer); // { name: "ana", role: "admin" } or null
 */
export async function findToken(db: D1Database, token: string): Promise<{ name: string; role: Role } | null> {
  const row = await findCredential<Row>(db, "admin_tokens", "eft1", token);
  return row === null ? null : { name: row.name, role: row.role };
}

/**
 * Makes a token named `name` and answers it (the only time it exists outside the caller);
 * 409 TOKEN_EXISTS when a live token has that name.
 *
 * @example
 * const { token } = await createToken(env.DB, { name: "ana", role: "admin", createdBy: "bootstrap" });
 */
export async function createToken(db: D1Database, input: { name: string; role: Role; createdBy: string }, now = Date.now()): Promise<TokenInfo & { token: string }> {
  const { id, token, hash } = await newCredential("eft1");
  try {
    await db.prepare("INSERT INTO admin_tokens (id, name, role, hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)").bind(id, input.name, input.role, hash, now, input.createdBy).run();
  } catch (e) {
    if (!/UNIQUE constraint failed: admin_tokens\.name/.test(String(e))) throw e;
    throw new HttpError(409, "TOKEN_EXISTS", `a token named "${input.name}" exists; revoke it first to replace it`, { pointer: "/name" });
  }
  return { token, name: input.name, role: input.role, createdAt: new Date(now).toISOString(), createdBy: input.createdBy };
}

/**
 * Every token, live ones first then revoked, each by name.
 *
 * @example
 * const tokens = await listTokens(env.DB);
 */
export async function listTokens(db: D1Database): Promise<TokenInfo[]> {
  const { results } = await db.prepare("SELECT * FROM admin_tokens ORDER BY revoked_at IS NOT NULL, name, created_at").all<Row>();
  return results.map(info);
}

/**
 * Revokes the live token named `name`; 404 TOKEN_NOT_FOUND when there is none.
 *
 * @example
 * await revokeToken(env.DB, "ana", "bootstrap");
 */
export async function revokeToken(db: D1Database, name: string, revokedBy: string, now = Date.now()): Promise<TokenInfo> {
  const row = await db.prepare("UPDATE admin_tokens SET revoked_at = ?, revoked_by = ? WHERE name = ? AND revoked_at IS NULL RETURNING *").bind(now, revokedBy, name).first<Row>();
  if (row === null) throw new HttpError(404, "TOKEN_NOT_FOUND", `no live token is named "${name}"`, { pointer: "/name" });
  return info(row);
}
