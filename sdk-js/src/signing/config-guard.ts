/**
 * `ConfigGuard` keeps the last good signed config: it accepts a new one only when it verifies
 * and is no older than the highest version accepted so far, and otherwise keeps what it had and
 * says why. The SDK client and the Worker's edge routing sit on it.
 *
 * @module
 */
import { ConfigVerificationError } from "./errors.ts";
import { verifyConfig, type VerifiedConfig, type VerifyConfigOptions } from "./verify-config.ts";

export type OfferResult = { accepted: true; config: VerifiedConfig } | { accepted: false; error: ConfigVerificationError; current: VerifiedConfig | null };

export interface ConfigGuardOptions extends Omit<VerifyConfigOptions, "now"> {
  /** The clock, in ms since the epoch; default `Date.now`. */
  now?: () => number;
}

/**
 * @example
 * const guard = new ConfigGuard({ keys: jwks, env: "production", minVersion: persistedVersion });
 * const r = await guard.offer(jws); // never throws
 * if (!r.accepted) console.warn(r.error.code); // guard.current is still the last good config
 */
export class ConfigGuard {
  #current: VerifiedConfig | null = null;
  readonly #options: ConfigGuardOptions;

  constructor(options: ConfigGuardOptions) {
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
    try {
      const config = await verifyConfig(jws, { ...this.#options, minVersion: this.minVersion, now: (this.#options.now ?? Date.now)() });
      this.#current = config;
      return { accepted: true, config };
    } catch (e) {
      const error = e instanceof ConfigVerificationError ? e : new ConfigVerificationError("MALFORMED", String((e as Error)?.message ?? e));
      return { accepted: false, error, current: this.#current };
    }
  }
}
