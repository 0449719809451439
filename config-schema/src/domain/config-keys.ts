/**
 * The KV layout of signed configs, shared by the Worker (which writes it through the env's
 * Durable Object) and the CLI (which writes it through `wrangler kv`).
 *
 *   config:<env>:<version>  → the compact JWS of that version; metadata: a VersionRecord
 *   config:<env>:latest     → the latest version number as text; metadata: { version }
 *
 * Every change (publish, rollback, kill switch, renewal before expiry) is a new version, so the
 * list of versions with their records is both the history and the audit log.
 *
 * @module
 */

/**
 * The key of one version's JWS.
 *
 * @example
 * configKey("production", 7) === "config:production:7"
 */
export const configKey = (env: string, version: number): string => `config:${env}:${version}`;

/**
 * The key of an env's latest pointer.
 *
 * @example
 * latestKey("production") === "config:production:latest"
 */
export const latestKey = (env: string): string => `config:${env}:latest`;

/**
 * The prefix under which an env's versions (and its latest pointer) are listed.
 *
 * @example
 * versionPrefix("production") === "config:production:"
 */
export const versionPrefix = (env: string): string => `config:${env}:`;

/**
 * The version number of a key listed under `versionPrefix(env)`, or null for `latest`.
 *
 * @example
 * versionOfKey("production", "config:production:12") === 12
 */
export function versionOfKey(env: string, key: string): number | null {
  const rest = key.slice(versionPrefix(env).length);
  return /^[1-9]\d*$/.test(rest) ? Number(rest) : null;
}

/**
 * The env of a latest pointer's key, or null for any other key (for listing every env).
 *
 * @example
 * envOfLatestKey("config:production:latest") === "production"
 */
export function envOfLatestKey(key: string): string | null {
  return key.startsWith("config:") && key.endsWith(":latest") ? key.slice("config:".length, -":latest".length) : null;
}
