/**
 * `ConfigGuardCore`: the `ConfigGuard` that is told how to check a payload's content instead of
 * defaulting to the full schema validator, so a bundle that uses it with `checkConfigShape`
 * carries neither the validator nor jose. The SDK's script-tag client sits on it.
 *
 * @module
 */
import { ConfigVerificationError } from "./errors.ts";
import { verifySignedConfig, type CheckPayload, type VerifiedConfig, type VerifyConfigOptions } from "./verify-signed-config.ts";

export type OfferResult = { accepted: true; config: VerifiedConfig } | { accepted: false; error: ConfigVerificationError; current: VerifiedConfig | null };

export interface ConfigGuardOptions extends Omit<VerifyConfigOptions, "now"> {
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
  readonly #options: ConfigGuardOptions;
  readonly #checkPayload: CheckPayload;

  constructor(options: ConfigGuardOptions & { checkPayload: CheckPayload }) {
    this.#options = options;
    this.#checkPayload = options.checkPayload;
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
      const options = { ...this.#options, minVersion: this.minVersion, now: (this.#options.now ?? Date.now)() };
      const config = await verifySignedConfig(jws, options, this.#checkPayload);
      this.#current = config;
      return { accepted: true, config };
    } catch (e) {
      const error = e instanceof ConfigVerificationError ? e : new ConfigVerificationError("MALFORMED", String((e as Error)?.message ?? e));
      return { accepted: false, error, current: this.#current };
    }
  }
}
