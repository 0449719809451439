import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          environment: "node",
          include: ["test/**/*.test.ts", "config-schema/test/**/*.test.ts", "sdk-js/test/**/*.test.ts", "cli/test/**/*.test.ts", "sdk-js/runtime-tests/{node,deno,chromium}.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } })],
        test: {
          name: "workerd",
          include: ["sdk-js/runtime-tests/workerd.test.ts", "worker/test/**/*.test.ts"],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
