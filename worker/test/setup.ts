// Applies worker/migrations to the test D1 database before each test file (idempotent: D1 records
// which migrations ran), the same files `npm start` applies with `wrangler d1 migrations apply`.
import { applyD1Migrations, env } from "cloudflare:test";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
