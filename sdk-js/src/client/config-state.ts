/**
 * The config the client evaluates on: a cached or bootstrap JWS used at once (first paint,
 * no network) and verified within milliseconds, then what the ConfigSource gives (by default the
 * Worker, polled with If-None-Match).
 * Only verified configs are kept; the highest version accepted is persisted, so an older
 * config is refused even after a reload; on any failure the last good config stays.
 * Trust (contract 3): pinned `keys` are never replaced or extended by anything fetched; a pinned
 * `rootKey` verifies the key set (its version floor persisted too) whose keys verify configs.
 *
 * @module
 */
import type { FlagConfig } from "@edgeflag/config-schema";
import { compileConfig, type CompiledConfig } from "../core/index.ts";
import { hasFlags } from "../core/compile.ts";
import { messageOf } from "../core/values.ts";
import { ConfigGuardCore, decodeSignedConfig, keyList, verifyKeySet, type CheckPayload, type ConfigVerificationError, type JWK, type JWKSet, type RootKey } from "../signing/light.ts";
import { checkClaims } from "../signing/verify-signed-config.ts";
import type { ConfigSource } from "./config-source.ts";
import type { ClientOptions } from "./types.ts";
import { statusError, type ClientError } from "./errors.ts";
import { fetchWithin, type Platform } from "./platform.ts";

export interface ActiveConfig {
  compiled: CompiledConfig;
  /** The config's content as signed (the payload), for readers of more than evaluation (the router's model list). */
  config: Readonly<FlagConfig>;
  version: number;
  /** The kid of the key that signed it. */
  kid: string;
  /** Whether the signature was checked yet (a cached or bootstrap config is used just before). */
  verified: boolean;
  source: "cache" | "bootstrap" | "network";
  /** The signed config itself. */
  jws: string;
}

export interface ConfigState {
  /** The config evaluations use now, or null. */
  readonly active: ActiveConfig | null;
  /** Verifies what first paint used (bootstrap, cache). Never throws. */
  verifyInitial(): Promise<void>;
  /** One poll of the source (or a fetch of version `told`, announced by live push): "unchanged" confirms, a new JWS is verified. Never throws. */
  fetchLatest(told?: number): Promise<void>;
}

/** What the state reads of the client's options. */
export type StateOptions = Pick<ClientOptions, "baseUrl" | "env" | "keys" | "rootKey" | "keySetUrl" | "jwksUrl" | "bootstrap" | "maxStalenessMs">;

interface Cached { jws: string; version: number; confirmedAt: number }

/** How long a verified key set is used before it is read again: the Worker's max-age. */
const KEY_SET_MAX_AGE_MS = 300_000;

/**
 * The content check of a verified config is the evaluator's own: a document with no flags object
 * is refused as a whole (the last good config stays); a flag the compiler cannot run breaks only
 * itself (its evaluations give the caller's default, reason ERROR, a message naming the field).
 */
const checkPayload: CheckPayload = (claims) => (hasFlags(claims) ? [] : [{ pointer: "/flags", message: "must be an object" }]);

export function configState(o: StateOptions, source: ConfigSource, p: Platform): ConfigState {
  const { storage, now } = p;
  const { env, jwksUrl, rootKey } = o;
  const configKey = `${p.prefix}:config`;
  const floorKey = `${p.prefix}:minVersion`;
  const setFloorKey = `${p.prefix}:keySetVersion`;
  let active: ActiveConfig | null = null;
  /**
   * The one judgement of the trust options: without keys, a root key or a JWKS URL every config
   * is refused, with this reason rather than a puzzling UNKNOWN_KID.
   */
  const trust: ClientError | false = !o.keys && !rootKey && !jwksUrl && { code: "NO_TRUSTED_KEYS", message: "no trusted keys: give keys, rootKey or jwksUrl" };
  let pinned: JWK[] = [];
  try {
    pinned = o.keys ? keyList(o.keys) : [];
  } catch {
    // an unusable keys option: nothing verifies, every config is refused with a reason
  }
  /** The keys of the last key set the root signed (or, with nothing pinned, of the JWKS URL). */
  let listed: JWK[] | null = null;
  let listedUntil = Infinity;
  let loadedAt = 0;
  /** Why the keys could not be loaded, when it is more than "unavailable": a key set refused. */
  let keysProblem: ClientError | null = null;
  /**
   * Reads the keys: the key set at keySetUrl, verified with the pinned root and above the
   * persisted floor, or (nothing pinned) the JWKS URL.
   */
  async function load(): Promise<void> {
    const res = await fetchWithin(p, rootKey ? (o.keySetUrl ?? `${o.baseUrl.replace(/\/+$/, "")}/.well-known/edgeflag-keys.jws`) : jwksUrl!);
    if (!res.ok) throw await statusError(res, rootKey ? "key set" : "JWKS");
    // A captive portal answers HTML: no keys.
    if (!rootKey) return void (listed = keyList((await res.json().catch(() => null)) as JWKSet));
    try {
      const set = await verifyKeySet(await res.text(), { root: rootKey, minVersion: Number(storage.get(setFloorKey)) || 0, now: now() });
      storage.set(setFloorKey, String(set.version));
      [listed, listedUntil, loadedAt] = [set.keys, set.exp * 1000, now()];
    } catch (e) {
      const { code, message } = e as ConfigVerificationError;
      throw (keysProblem = { code: "KEY_SET_REFUSED", message: `key set refused: ${code}: ${message}` });
    }
  }
  /** Verification, the version floor and key rotation: the shared mechanism. */
  const guard = new ConfigGuardCore({
    // A failure here is KEYS_UNAVAILABLE, no verdict on any config: the cached one stays.
    async keys(refresh) {
      keysProblem = null;
      // Pinned keys are never replaced or extended by anything fetched.
      if (!rootKey && (o.keys || !jwksUrl)) return pinned;
      const usable = listed && listedUntil > now();
      // Read again for an unknown kid, and a key set after KEY_SET_MAX_AGE_MS (a removed key stops verifying).
      if (!usable || refresh || (rootKey && loadedAt + KEY_SET_MAX_AGE_MS <= now())) {
        try {
          await load();
        } catch (e) {
          // Pinned keys verify whatever happens to the set; the last verified set stays until it expires.
          if ((!usable || refresh) && !pinned[0]) throw e;
          if (keysProblem) p.emit("error", keysProblem);
        }
      }
      return [...pinned, ...(listed && listedUntil > now() ? listed : [])];
    },
    env,
    minVersion: Number(storage.get(floorKey)) || 0,
    now,
    checkPayload,
  });
  const store = (cached: Cached) => storage.set(configKey, JSON.stringify(cached));

  /** Verifies and, when accepted and not older, makes it the active config. Never throws. */
  async function offer(jws: string, source: ActiveConfig["source"]): Promise<void> {
    const r = await guard.offer(jws);
    if (r.accepted) {
      const { config, version, kid, jws: signed } = r.config;
      const same = active?.version === version;
      // Reuse compiled flags only from a config that was itself verified: an unverified cache
      // with the same version number may hold other content.
      active = { compiled: same && active!.verified ? active!.compiled : compileConfig(config), config: config as FlagConfig, version, kid, verified: true, source, jws: signed };
      storage.set(floorKey, String(guard.minVersion));
      store({ jws: signed, version, confirmedAt: now() });
      p.settled(signed);
      if (!same || source === "network") p.emit("update", { version, source });
      return;
    }
    const { code, message } = r.error;
    if (code === "KEYS_UNAVAILABLE") return p.emit("error", keysProblem ?? { code: "JWKS_UNAVAILABLE", message });
    if (active && !active.verified && active.source === source) {
      active = null; // the unverified config used at first paint turned out bad
      if (source === "cache") storage.remove(configKey);
      p.settled(null);
    }
    p.emit("error", trust || { code, message });
  }

  // First paint: the newest of bootstrap and cache that is plausibly good, before verification.
  const cached = storage.getJson<Cached>(configKey);
  const fresh = now() - (cached?.confirmedAt as number) <= (o.maxStalenessMs ?? 86_400_000);
  for (const [jws, source] of [[o.bootstrap, "bootstrap"], [fresh && cached!.jws, "cache"]] as const) {
    try {
      // Everything but the signature, which verifyInitial checks within milliseconds.
      const { header, payload: config } = decodeSignedConfig(jws as string);
      const { version } = checkClaims(config, { env, minVersion: guard.minVersion, now: now() }, checkPayload);
      if (!active || active.version < version) active = { compiled: compileConfig(config), config: config as FlagConfig, version, kid: String(header.kid), verified: false, source, jws: jws as string };
    } catch {
      // not usable before verification (absent, malformed, expired…): the network decides
    }
  }

  return {
    get active() {
      return active;
    },
    async verifyInitial() {
      if (o.bootstrap) await offer(o.bootstrap, "bootstrap");
      if (active?.source === "cache" && !active.verified) await offer(active.jws, "cache");
    },
    async fetchLatest(told) {
      const seen = active;
      try {
        const jws = await source.latest(seen?.verified ? seen.version : null, told);
        if (jws !== null) return await offer(jws, "network");
        const cached = storage.getJson<Cached>(configKey);
        if (cached) store({ ...cached, confirmedAt: now() });
      } catch (e) {
        // What a source rejects with may carry the answer's status and the server's own code.
        p.emit("error", { ...(e as object), code: "FETCH_FAILED", message: messageOf(e) });
      }
    },
  };
}
