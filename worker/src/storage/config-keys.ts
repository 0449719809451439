/**
 * The KV layout of signed configs, shared by the Worker and the CLI (which writes through
 * `wrangler kv`). One place for the key names and the record kept beside each version.
 *
 *   config:<env>:<version>  → the compact JWS of that version; metadata: a VersionRecord
 *   config:<env>:latest     → the latest version number as text; metadata: { version }
 *
 * Every change (publish, rollback, kill switch, renewal before expiry) is a new version, so the list of versions with
 * their records is both the history and the audit log.
 *
 * @module
 */

/** Who changed what, when and why; stored as the KV metadata of `config:<env>:<version>`. */
export interface VersionRecord {
  version: number;
  /** ISO 8601 time of the change. */
  at: string;
  actor: string;
  action: "publish" | "rollback" | "kill" | "renew";
  reason?: string;
  /** For a rollback, the version whose content was republished. */
  from?: number;
  /** For a kill switch, the flag and the variant it now serves to everyone. */
  flag?: string;
  variant?: string;
  /** kid of the key that signed it. */
  kid?: string;
}

export { ENV_PATTERN } from "@edgeflag/config-schema";
/** KV metadata is limited to 1024 bytes: reasons are cut to this length. */
export const MAX_REASON_LENGTH = 300;

export const configKey = (env: string, version: number): string => `config:${env}:${version}`;
export const latestKey = (env: string): string => `config:${env}:latest`;
export const versionPrefix = (env: string): string => `config:${env}:`;

/** The version number of a key listed under `versionPrefix(env)`, or null for `latest`. */
export function versionOfKey(env: string, key: string): number | null {
  const rest = key.slice(versionPrefix(env).length);
  return /^[1-9]\d*$/.test(rest) ? Number(rest) : null;
}
