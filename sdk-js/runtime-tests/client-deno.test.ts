// The client in real Deno (the `deno` npm package), on the TypeScript sources, against a real
// HTTP server on 127.0.0.1 started here. Deno needs only --allow-net=127.0.0.1.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "vitest";
import { compileConfig, evaluate } from "../src/index.ts";
import { FlagServer, demoConfig } from "../test/client/flag-server.ts";
import type { CaseResult } from "./suite.ts";

const deno = fileURLToPath(new URL("../../node_modules/.bin/deno", import.meta.url));
const runner = fileURLToPath(new URL("./client-deno-runner.ts", import.meta.url));

const server = await new FlagServer().start();
await server.publish(demoConfig(), 5);
afterAll(() => server.stop());

const { stdout } = await promisify(execFile)(deno, ["run", "--quiet", "--allow-net=127.0.0.1", runner, server.url], {
  maxBuffer: 16 << 20,
  timeout: 60_000,
  env: { ...process.env, NO_COLOR: "1" },
});
const { cases, evaluations } = JSON.parse(stdout) as { cases: CaseResult[]; evaluations: Array<{ subject: string }> };

test("deno ran every client case", () => expect(cases.map((c) => c.name)).toHaveLength(6));
for (const c of cases) {
  test(`deno client: ${c.name}`, () => {
    if (!c.ok) throw new Error(c.detail);
  });
}

test("deno client: evaluations agree with the core evaluated in Node", () => {
  const compiled = compileConfig(demoConfig());
  expect(evaluations).toHaveLength(4);
  for (const e of evaluations) {
    const core = evaluate(compiled, "chat-model", { subject: e.subject }, "fallback");
    expect(e).toEqual({ subject: e.subject, variant: core.variant, value: core.value, reason: core.reason, allocation: core.allocation, version: 5 });
  }
});

test("deno client: the server counted one exposure per subject, as text/plain posts", () => {
  expect(server.events.filter((e) => e.type === "exposure").map((e) => e.subject).sort()).toEqual(evaluations.map((e) => e.subject).sort());
  expect(new Set(server.posts.map((p) => p.contentType))).toEqual(new Set(["text/plain;charset=UTF-8"]));
});
