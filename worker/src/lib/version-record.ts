/**
 * Building the `VersionRecord` stored beside each version: who, when, what and why, cut to fit
 * KV's 1024-byte metadata limit.
 *
 * @module
 */
import { MAX_REASON_LENGTH, type VersionRecord } from "../storage/config-keys.ts";

/** KV refuses metadata larger than this once serialised. */
export const MAX_METADATA_BYTES = 1024;
/** Actors are names or emails; longer ones are cut. */
export const MAX_ACTOR_LENGTH = 64;
/** The actor when the request names none. */
export const DEFAULT_ACTOR = "admin-api";

const encoder = new TextEncoder();
const clip = (text: string, codePoints: number) => Array.from(text).slice(0, Math.max(0, codePoints)).join("");
const size = (record: VersionRecord) => encoder.encode(JSON.stringify(record)).byteLength;

/**
 * Who made a change: the `X-Edgeflag-Actor` header, else the body's `actor`, else "admin-api".
 *
 * @example
 * actorOf(request, optionalString(body, "actor"))
 */
export function actorOf(request: Request, bodyActor?: string): string {
  const actor = (request.headers.get("X-Edgeflag-Actor") ?? bodyActor ?? "").trim();
  return actor === "" ? DEFAULT_ACTOR : clip(actor, MAX_ACTOR_LENGTH);
}

/**
 * A record for a new version, with `at` = now and the reason cut to MAX_REASON_LENGTH characters,
 * then shorter while the serialised record passes 1024 bytes (300 emoji are 1200 bytes). The
 * other fields are bounded: actor 64 characters, flag and variant keys 64 ASCII characters.
 *
 * @example
 * makeRecord({ version: 8, actor: "ana", action: "rollback", from: 5, reason: "bad prompt" })
 */
export function makeRecord(fields: Omit<VersionRecord, "at">, now = Date.now()): VersionRecord {
  const record: VersionRecord = { version: fields.version, at: new Date(now).toISOString(), actor: clip(fields.actor, MAX_ACTOR_LENGTH), action: fields.action };
  if (fields.reason !== undefined && fields.reason !== "") record.reason = clip(fields.reason, MAX_REASON_LENGTH);
  if (fields.from !== undefined) record.from = fields.from;
  if (fields.flag !== undefined) record.flag = fields.flag;
  if (fields.variant !== undefined) record.variant = fields.variant;
  if (fields.kid !== undefined) record.kid = fields.kid;
  while (size(record) > MAX_METADATA_BYTES && record.reason) record.reason = clip(record.reason, Array.from(record.reason).length - 1);
  if (record.reason === "") delete record.reason;
  return record;
}
