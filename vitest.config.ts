import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
// TEST-ONLY keys (the private halves are public in the repo): the Worker's secrets in workerd tests.
import testKeys from "./worker/test/fixtures/test-keys.json" with { type: "json" };
import testKeySet from "./worker/test/fixtures/test-key-set.json" with { type: "json" };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          environment: "node",
          include: ["test/**/*.test.ts", "config-schema/test/**/*.test.ts", "sdk-js/test/**/*.test.ts", "analysis/test/**/*.test.ts", "cli/test/**/*.test.ts", "sdk-js/runtime-tests/{node,deno,chromium,client-deno,hostile-record,llm-deno}.test.ts", "examples/test/**/*.test.ts", "dashboard/test/**/*.test.ts"],
          exclude: ["**/node_modules/**"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                ADMIN_TOKEN: "test-admin-token",
                SIGNING_KEY: JSON.stringify(testKeys.signingKey),
                PUBLIC_JWKS: JSON.stringify(testKeys.publicJwks),
                KEY_SET: testKeySet.jws,
                EVENTS_ALLOWED_ORIGINS: "https://app.example.com, https://chat.example.com",
                // The same migrations `wrangler d1 migrations apply` runs; worker/test/setup.ts applies them.
                TEST_MIGRATIONS: await readD1Migrations("./worker/migrations"),
              },
            },
          }),
        ],
        test: {
          name: "workerd",
          // The analysis is Web APIs only: its statistics run in workerd too (results-sql needs node:sqlite).
          include: ["sdk-js/runtime-tests/workerd.test.ts", "sdk-js/runtime-tests/llm-workerd.test.ts", "worker/test/**/*.test.ts", "analysis/test/stats/**/*.test.ts"],
          setupFiles: ["./worker/test/setup.ts"],
          // The mock LLM upstream runs in Node; workerd tests reach it at inject("mockLlmUrl").
          globalSetup: ["./sdk-js/runtime-tests/llm-global-setup.ts"],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
