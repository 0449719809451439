/**
 * Where the client's config comes from: a cached or bootstrap JWS used at once (first paint,
 * no network) and verified within milliseconds, then the Worker, polled with If-None-Match.
 * Only verified configs are kept; the highest version accepted is persisted, so an older
 * config is refused even after a reload; on any failure the last good config stays.
 *
 * @module
 */
import type { FlagConfig } from "@edgeflag/config-schema";
import { compileConfig, type CompiledConfig } from "../core/index.ts";
import { checkConfigShape, ConfigGuardCore, decodeSignedConfig, keyList, type JWK, type JWKSet } from "../signing/light.ts";
import type { SafeStorage } from "./storage.ts";
import { fetchWithin } from "./timeout.ts";

export interface ActiveConfig {
  config: FlagConfig;
  compiled: CompiledConfig;
  version: number;
  /** Whether the signature was checked yet (a cached or bootstrap config is used just before). */
  verified: boolean;
  source: "cache" | "bootstrap" | "network";
  /** The signed config itself. */
  jws: string;
}

export interface ConfigSourceOptions {
  baseUrl: string;
  env: string;
  keys?: JWK | JWK[] | JWKSet;
  jwksUrl?: string;
  bootstrap?: string;
  fetch: typeof fetch;
  storage: SafeStorage;
  /** Prefix of this client's storage keys (names the env and the server). */
  storagePrefix: string;
  /** Per request, in ms. */
  timeoutMs: number;
  now: () => number;
  maxStalenessMs: number;
  onUpdate(active: ActiveConfig): void;
  /** A config was verified and is active (also when first paint's config verifies). */
  onVerified(active: ActiveConfig): void;
  /** The unverified config first paint used was refused and dropped. */
  onDropped(): void;
  onError(error: { code: string; message: string }): void;
}

interface Cached { jws: string; version: number; confirmedAt: number }

/** The payload of a signed config, unverified, or null when it is not one. */
function decodePayload(jws: string): ReturnType<typeof decodeSignedConfig>["payload"] | null {
  try {
    return decodeSignedConfig(jws).payload;
  } catch {
    return null;
  }
}

export class ConfigSource {
  readonly #o: ConfigSourceOptions;
  readonly #configKey: string;
  readonly #floorKey: string;
  #active: ActiveConfig | null = null;
  #keys: JWK[] | null;
  /** Verification, the version floor and key rotation: the shared mechanism, told to check shapes only. */
  readonly #guard: ConfigGuardCore;

  constructor(options: ConfigSourceOptions) {
    this.#o = options;
    this.#configKey = `${options.storagePrefix}:config`;
    this.#floorKey = `${options.storagePrefix}:minVersion`;
    this.#guard = new ConfigGuardCore({
      keys: (refresh) => this.#trustedKeys(refresh),
      env: options.env,
      minVersion: Number(options.storage.get(this.#floorKey)) || 0,
      now: options.now,
      checkPayload: checkConfigShape,
    });
    try {
      this.#keys = options.keys ? keyList(options.keys) : null;
    } catch {
      this.#keys = []; // an unusable keys option: nothing verifies, every config is refused with a reason
    }
    this.#useUnverified();
  }

  get active(): ActiveConfig | null {
    return this.#active;
  }

  /** The highest version ever accepted here: anything older is refused. */
  get floor(): number {
    return this.#guard.minVersion;
  }

  /** First paint: the newest of bootstrap and cache that is plausibly good, before verification. */
  #useUnverified(): void {
    const now = this.#o.now();
    const cached = this.#o.storage.getJson<Cached>(this.#configKey);
    const candidates: Array<{ jws: string; source: ActiveConfig["source"] }> = [];
    if (this.#o.bootstrap) candidates.push({ jws: this.#o.bootstrap, source: "bootstrap" });
    if (cached && typeof cached.jws === "string" && now - cached.confirmedAt <= this.#o.maxStalenessMs) candidates.push({ jws: cached.jws, source: "cache" });
    for (const c of candidates) {
      const p = decodePayload(c.jws);
      if (!p || p.env !== this.#o.env || typeof p.version !== "number" || p.version < this.floor) continue;
      if (typeof p.exp !== "number" || p.exp * 1000 <= now || checkConfigShape(p).length > 0) continue;
      if (this.#active && this.#active.version >= p.version) continue;
      this.#active = { config: p, compiled: compileConfig(p), version: p.version, verified: false, source: c.source, jws: c.jws };
    }
  }

  #get(url: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetchWithin(this.#o.fetch, this.#o.timeoutMs, url, { headers });
  }

  async #trustedKeys(refresh: boolean): Promise<JWK[]> {
    if (this.#keys && !(refresh && this.#o.jwksUrl)) return this.#keys;
    if (!this.#o.jwksUrl) return [];
    // A failure here is KEYS_UNAVAILABLE, no verdict on any config: the cached one stays.
    const res = await this.#get(this.#o.jwksUrl);
    if (!res.ok) throw new Error(`GET the JWKS: HTTP ${res.status}`);
    const set = await res.json().catch(() => null); // a captive portal answers HTML
    this.#keys = keyList(set as JWKSet);
    return this.#keys;
  }

  /** Verifies and, when accepted and not older, makes it the active config. Never throws. */
  async offer(jws: string, source: ActiveConfig["source"]): Promise<boolean> {
    const r = await this.#guard.offer(jws);
    if (r.accepted) {
      const v = r.config;
      const same = this.#active && this.#active.version === v.version;
      // Reuse compiled flags only from a config that was itself verified: an unverified cache
      // with the same version number may hold other content.
      const reuse = same && this.#active!.verified;
      this.#active = { config: v.config, compiled: reuse ? this.#active!.compiled : compileConfig(v.config), version: v.version, verified: true, source, jws: v.jws };
      this.#o.storage.set(this.#floorKey, String(this.floor));
      this.#o.storage.set(this.#configKey, JSON.stringify({ jws: v.jws, version: v.version, confirmedAt: this.#o.now() } satisfies Cached));
      this.#o.onVerified(this.#active);
      if (!same || source === "network") this.#o.onUpdate(this.#active);
      return true;
    }
    const { code, message } = r.error;
    if (code === "KEYS_UNAVAILABLE") {
      this.#o.onError({ code: "JWKS_UNAVAILABLE", message });
      return false;
    }
    if (this.#active && !this.#active.verified && this.#active.source === source) {
      this.#active = null; // the unverified config used at first paint turned out bad
      if (source === "cache") this.#o.storage.remove(this.#configKey);
      this.#o.onDropped();
    }
    this.#o.onError({ code, message });
    return false;
  }

  /** Verifies what first paint used (cache, bootstrap). */
  async verifyInitial(): Promise<void> {
    if (this.#o.bootstrap) await this.offer(this.#o.bootstrap, "bootstrap");
    const cached = this.#o.storage.getJson<Cached>(this.#configKey);
    if (cached?.jws && cached.jws !== this.#o.bootstrap && this.#active?.source === "cache" && !this.#active.verified) await this.offer(cached.jws, "cache");
  }

  /** One poll: GET with If-None-Match; 304 confirms, 200 is verified. Never throws. */
  async fetchLatest(): Promise<void> {
    const url = `${this.#o.baseUrl.replace(/\/+$/, "")}/v1/configs/${encodeURIComponent(this.#o.env)}`;
    const active = this.#active;
    try {
      const res = await this.#get(url, active?.verified ? { "if-none-match": `"${active.version}"` } : {});
      if (res.status === 304 && active) {
        const cached = this.#o.storage.getJson<Cached>(this.#configKey);
        if (cached) this.#o.storage.set(this.#configKey, JSON.stringify({ ...cached, confirmedAt: this.#o.now() }));
        return;
      }
      if (!res.ok) return this.#o.onError({ code: "FETCH_FAILED", message: `GET ${url}: HTTP ${res.status}` });
      await this.offer(new TextDecoder().decode(await res.arrayBuffer()), "network");
    } catch (e) {
      this.#o.onError({ code: "FETCH_FAILED", message: `GET ${url}: ${(e as Error)?.message ?? e}` });
    }
  }
}
