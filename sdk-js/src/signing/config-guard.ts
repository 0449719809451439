/**
 * `ConfigGuard` keeps the last good signed config: it accepts a new one only when it verifies
 * and is no older than the highest version accepted so far, and otherwise keeps what it had and
 * says why. It checks content with the full schema validator unless told otherwise (bundles that
 * must stay small, such as the SDK client, use `ConfigGuardCore`).
 *
 * @module
 */
import { ConfigGuardCore, type ConfigGuardOptions } from "./config-guard-core.ts";
import { checkFullConfig } from "./verify-config.ts";

export type { ConfigGuardOptions, OfferResult } from "./config-guard-core.ts";

/**
 * @example
 * const guard = new ConfigGuard({ keys: jwks, env: "production", minVersion: persistedVersion });
 * const r = await guard.offer(jws); // never throws
 * if (!r.accepted) console.warn(r.error.code); // guard.current is still the last good config
 */
export class ConfigGuard extends ConfigGuardCore {
  constructor(options: ConfigGuardOptions) {
    super({ ...options, checkPayload: options.checkPayload ?? checkFullConfig });
  }
}
