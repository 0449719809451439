/**
 * The record kept beside each version (KV metadata of `config:<env>:<version>`): who, when, what
 * and why, cut to fit KV's 1024-byte metadata limit. The Worker and the CLI build it here, so a
 * version looks the same whichever path wrote it.
 *
 * @module
 */

/**
 * The actor `npm start` publishes its demo config as: an env with a version by this actor serves
 * (or served) npm start's demo, and the dashboard labels its data as demo data.
 *
 * @example
 * records.some((r) => r.actor === DEMO_ACTOR)
 */
export const DEMO_ACTOR = "npm-start";

/** Who changed what, when and why. */
export interface VersionRecord {
  version: number;
  /** ISO 8601 time of the change. */
  at: string;
  actor: string;
  action: "publish" | "rollback" | "kill" | "renew" | "ramp";
  reason?: string;
  /** For a rollback, the version whose content was republished; for a renewal, the renewed one. */
  from?: number;
  /** For a kill switch, the flag and the variant it now serves to everyone; for a ramp step, the flag and its allocation. */
  flag?: string;
  allocation?: string;
  variant?: string;
  /** kid of the key that signed it. */
  kid?: string;
}

/** The fields of a change's record that the caller decides (the version, time and kid come later). */
export type Change = Omit<VersionRecord, "version" | "at" | "kid">;

/** KV refuses metadata larger than this once serialised. */
const MAX_METADATA_BYTES = 1024;
/** Reasons are cut to this many characters (code points), then shorter to fit MAX_METADATA_BYTES. */
const MAX_REASON_LENGTH = 300;
/** Actors are names or emails; longer ones are cut. */
const MAX_ACTOR_LENGTH = 64;

const encoder = new TextEncoder();
/** The first `codePoints` characters, never cutting a surrogate pair in half. */
const clip = (text: string, codePoints: number) => Array.from(text).slice(0, Math.max(0, codePoints)).join("");
const size = (record: VersionRecord) => encoder.encode(JSON.stringify(record)).byteLength;

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
  if (fields.allocation !== undefined) record.allocation = fields.allocation;
  if (fields.variant !== undefined) record.variant = fields.variant;
  if (fields.kid !== undefined) record.kid = fields.kid;
  while (size(record) > MAX_METADATA_BYTES && record.reason) record.reason = clip(record.reason, Array.from(record.reason).length - 1);
  if (record.reason === "") delete record.reason;
  return record;
}
