/**
 * The config domain the Worker and the CLI share: the KV layout, the record beside each version,
 * the pure edits (kill switch, signing claims stripped for a rollback or a renewal) and the one
 * `publish` over a `ConfigStore`. Web APIs only.
 *
 * @module
 */
export { configKey, latestKey, versionPrefix, versionOfKey, envOfLatestKey } from "./config-keys.ts";
export { makeRecord, normalizeActor, DEFAULT_ACTOR, MAX_ACTOR_LENGTH, MAX_METADATA_BYTES, MAX_REASON_LENGTH, type Change, type VersionRecord } from "./version-record.ts";
export { ConfigChangeError, killSwitch, stripSigningClaims, type ConfigChangeCode, type SigningClaims } from "./edits.ts";
export { publish, nextFreeVersion, readLatestVersion, readVersion, MAX_VERSION_SKIP, type ConfigStore, type Published, type PublishInput, type Signed, type Signer } from "./publish.ts";
export { ENV_PATTERN } from "../patterns.ts";
