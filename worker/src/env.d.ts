// The Worker's secrets, which `wrangler types` cannot see (they live in `wrangler secret put` and
// `.dev.vars`, not in wrangler.toml). Typed `string` as wrangler types secrets, so that a
// regeneration that does see a `.dev.vars` still merges; either may be unset at runtime, which is
// why the code reads them through `secret()` (src/lib/secrets.ts).

interface Env {
  /** The bootstrap bearer token of /v1/admin/* (actor "bootstrap"); unset or empty → the admin API answers 503. */
  ADMIN_TOKEN: string;
  /** Private JWK (JSON) the Worker signs with; unset or empty → only pre-signed publishes. */
  SIGNING_KEY: string;
  /** The key set the offline root signed (compact JWS, public); unset → 404 at /.well-known/edgeflag-keys.jws. */
  KEY_SET: string;
  /** Where the ramp watcher posts its decisions (a Slack incoming-webhook URL or any endpoint taking its JSON); unset → no webhook. A secret: such URLs carry a token. */
  RAMP_WEBHOOK_URL: string;
}

declare namespace Cloudflare {
  interface Env {
    ADMIN_TOKEN: string;
    SIGNING_KEY: string;
    KEY_SET: string;
    RAMP_WEBHOOK_URL: string;
  }
}
