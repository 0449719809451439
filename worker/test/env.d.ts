// Bindings only the tests have (vitest.config.ts): the D1 migrations read from worker/migrations.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  }
}
