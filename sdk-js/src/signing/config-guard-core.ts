/**
 * `ConfigGuardCore`: the `ConfigGuard` that is told how to check a payload's content instead of
 * defaulting to the full schema validator, so a bundle that uses it with a light check (such as
 * `checkConfigShape`) carries neither the validator nor jose. The SDK client's config source sits
 * on it.
 *
 * @module
 */
import type { JWK } from "jose";
import { ConfigVerificationError } from "./errors.ts";
import type { JWKSet } from "./key-types.ts";
import { messageOf } from "../core/values.ts";
import { rollback, verifySignedConfig, type CheckPayload, type VerifiedConfig, type VerifyConfigOptions } from "./verify-signed-config.ts";

/** Loads the trusted keys; `refresh` asks for a fresh copy (a kid was unknown: keys rotated). */
export type KeyLoader = (refresh: boolean) => Promise<JWK[]>;

export type OfferResult = { accepted: true; config: VerifiedConfig } | { accepted: false; error: ConfigVerificationError; current: VerifiedConfig | null };

export interface ConfigGuardOptions extends Omit<VerifyConfigOptions, "now" | "keys"> {
  /**
   * The trusted keys, or a loader (a JWKS URL the integrator chose): a loader is asked again once
   * when a config names a kid it did not have, and a loader that fails is KEYS_UNAVAILABLE.
   */
  keys: JWK | JWK[] | JWKSet | KeyLoader;
  /** The clock, in ms since the epoch; default `Date.now`. */
  now?: () => number;
  /** The check of a verified payload's content; `ConfigGuard`'s default is the full `validate`. */
  checkPayload?: CheckPayload;
}

/**
 * Keeps the last good signed config: accepts a new one only when it verifies and is no older
 * than the highest version accepted so far, and otherwise keeps what it had and says why.
 *
 * @example
 * const guard = new ConfigGuardCore({ keys: jwks, env: "production", checkPayload: checkConfigShape });
 * const r = await guard.offer(jws); // never throws
 * if (!r.accepted) console.warn(r.error.code); // guard.current is still the last good config
 */
export class ConfigGuardCore {
  #current: VerifiedConfig | null = null;
  readonly #options: ConfigGuardOptions & { checkPayload: CheckPayload };

  constructor(options: ConfigGuardOptions & { checkPayload: CheckPayload }) {
    this.#options = options;
  }

  /** The last config accepted, or null. */
  get current(): VerifiedConfig | null {
    return this.#current;
  }

  /** The highest version accepted (or the configured floor): older versions are refused. */
  get minVersion(): number {
    return Math.max(this.#options.minVersion ?? 0, this.#current?.version ?? 0);
  }

  async offer(jws: string): Promise<OfferResult> {
    const options = this.#options;
    const { keys } = options;
    const verify = async (refresh: boolean) => {
      let trusted: VerifyConfigOptions["keys"];
      if (typeof keys === "function") {
        try {
          trusted = await keys(refresh);
        } catch (e) {
          throw new ConfigVerificationError("KEYS_UNAVAILABLE", `the trusted keys could not be loaded: ${messageOf(e)}`);
        }
      } else trusted = keys;
      return verifySignedConfig(jws, { ...options, keys: trusted, minVersion: this.minVersion, now: (options.now ?? Date.now)() }, options.checkPayload);
    };
    try {
      // A kid the loaded keys do not have: the keys may have rotated, so a loader is asked again once.
      const config = await verify(false).catch((e) => ((e as ConfigVerificationError)?.code === "UNKNOWN_KID" && typeof keys === "function" ? verify(true) : Promise.reject(e)));
      // Two offers verifying at once: the one that finishes last must not take the floor back.
      if (this.#current && config.version < this.#current.version) {
        throw rollback(config.version, this.#current.version);
      }
      this.#current = config;
      return { accepted: true, config };
    } catch (e) {
      const error = e instanceof ConfigVerificationError ? e : new ConfigVerificationError("MALFORMED", messageOf(e));
      return { accepted: false, error, current: this.#current };
    }
  }
}
