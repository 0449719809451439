/**
 * What admin tokens and router keys share: a credential is `<prefix>.<id>.<secret>`, where `id`
 * (96 random bits) finds its D1 row and `secret` (256 random bits) is what makes it a credential.
 * Only the hex SHA-256 of the whole credential is stored; a credential exists once, in the answer
 * to its creation. Lookups compare the hash in constant time and answer null for anything that is
 * not a live credential of the kind asked for, so callers answer every failure alike.
 *
 * @module
 */

const encoder = new TextEncoder();

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const random = (n: number) => base64url(crypto.getRandomValues(new Uint8Array(n)));
const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

/** The kinds of credential: the prefix says which table a credential belongs to. */
export type CredentialPrefix = "eft1" | "efr1";

/**
 * The SHA-256 of a text, as bytes.
 *
 * @example
 * const digest = await sha256("eft1.…");
 */
export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/**
 * A new credential of a kind: its row id, the credential itself, and the hex hash to store.
 *
 * @example
 * const { id, token, hash } = await newCredential("efr1");
 */
export async function newCredential(prefix: CredentialPrefix): Promise<{ id: string; token: string; hash: string }> {
  const id = random(12);
  const token = `${prefix}.${id}.${random(32)}`;
  return { id, token, hash: hex(await sha256(token)) };
}

/** A row of a credential table (admin_tokens, router_keys): its name, hash and audit columns. */
export interface CredentialRow extends Record<string, unknown> {
  id: string;
  name: string;
  hash: string;
  created_at: number;
  created_by: string;
  revoked_at: number | null;
  revoked_by: string | null;
}

/** A credential as listed: its name and audit, never its secret nor its hash. */
export interface CredentialInfo {
  name: string;
  createdAt: string;
  createdBy: string;
  revokedAt?: string;
  revokedBy?: string;
}

/**
 * The live row of `table` that `token` (of kind `prefix`) opens, or null: not of the shape,
 * unknown id, wrong secret, revoked. `table` is one of this Worker's own table names, never input.
 *
 * @example
 * const row = await findCredential<Row>(env.DB, "router_keys", "efr1", bearer);
 */
export async function findCredential<R extends CredentialRow>(db: D1Database, table: "admin_tokens" | "router_keys", prefix: CredentialPrefix, token: string): Promise<R | null> {
  const parts = new RegExp(`^${prefix}\\.([A-Za-z0-9_-]{16})\\.([A-Za-z0-9_-]{43})$`).exec(token);
  if (parts === null) return null;
  const [row, given] = await Promise.all([db.prepare(`SELECT * FROM ${table} WHERE id = ?`).bind(parts[1]).first<R>(), sha256(token)]);
  if (row === null || row.revoked_at !== null) return null;
  const stored = new Uint8Array(row.hash.match(/../g)!.map((h) => parseInt(h, 16)));
  return stored.byteLength === given.byteLength && crypto.subtle.timingSafeEqual(stored, given) ? row : null;
}

/**
 * A row as listed: its name and the ISO form of its audit columns (`created_at`, `created_by`,
 * `revoked_at`, `revoked_by`).
 *
 * @example
 * const { createdAt, revokedAt } = auditOf(row);
 */
export function auditOf(row: CredentialRow): CredentialInfo {
  const out: CredentialInfo = { name: row.name, createdAt: new Date(row.created_at).toISOString(), createdBy: row.created_by };
  if (row.revoked_at !== null) out.revokedAt = new Date(row.revoked_at).toISOString();
  if (row.revoked_by !== null) out.revokedBy = row.revoked_by;
  return out;
}
