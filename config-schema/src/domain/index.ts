/**
 * The config domain the Worker and the CLI share: the KV layout, the record beside each version,
 * the pure edits (kill switch, signing claims stripped for a rollback or a renewal) and the one
 * `publish` over a `ConfigStore`, and the check of where upstream key secrets may go. Web APIs only.
 *
 * @module
 */
export { configKey, latestKey, versionPrefix, versionOfKey, envOfLatestKey } from "./config-keys.ts";
export { DEMO_ACTOR, makeRecord, type Change, type VersionRecord } from "./version-record.ts";
export { ConfigChangeError, killSwitch, setRollout, stripSigningClaims, type ConfigChangeCode } from "./edits.ts";
export { publish, nextFreeVersion, readLatestVersion, readVersion, type ConfigStore, type Published, type Signed, type Signer } from "./publish.ts";
export { diffConfigs, diffPaths, type ConfigDiff, type PathChange } from "./diff.ts";
export { checkUpstreams, parseUpstreams, upstreamOrigin, upstreamRefusal, UpstreamsError, SECRET_NAME, DEFAULT_BASE_URLS, type AllowedUpstreams } from "./upstreams.ts";
