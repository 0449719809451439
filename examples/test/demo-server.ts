// The examples' counterpart of the Worker: a real HTTP server on 127.0.0.1 serving the demo config
// (what `npm start` publishes) signed as env "development" version 1, its JWKS, and /v1/events.
import { readFileSync } from "node:fs";
import type { FlagConfig } from "@edgeflag/config-schema";
import { expect } from "vitest";
import { FlagServer } from "../../sdk-js/test/client/flag-server.ts";

export const DEMO_CONFIG: FlagConfig = JSON.parse(readFileSync(new URL("../demo-config.json", import.meta.url), "utf8"));

export async function startDemoServer(): Promise<FlagServer> {
  const server = await new FlagServer({ env: "development" }).start();
  await server.publish(DEMO_CONFIG, 1);
  return server;
}

/** What examples/node and examples/deno print for the demo config, line by line. */
export const EXPECTED_OUTPUT = [
  "config version 1 (env development)",
  "alice: gpt-4 → gpt-4 (18 + 46 tokens)",
  "bob: gpt-35 → gpt-3.5-turbo (18 + 54 tokens)",
  "carol: fixed-answer → a fixed answer, no model call",
  "dave: gpt-35 → gpt-3.5-turbo (18 + 54 tokens)",
  "",
].join("\n");

/** One exposure per subject, and an execution with OpenAI-shaped usage for each model call. */
export function expectDemoEvents(server: FlagServer): void {
  const of = (type: string) => server.events.filter((e) => e.type === type);
  expect(of("exposure").map((e) => [e.subject, e.variant, e.version])).toEqual([
    ["alice", "gpt-4", 1], ["bob", "gpt-35", 1], ["carol", "fixed-answer", 1], ["dave", "gpt-35", 1],
  ]);
  expect(of("execution").map((e) => [e.subject, e.model, e.inputTokens, e.outputTokens, typeof e.latencyMs])).toEqual([
    ["alice", "gpt-4", 18, 46, "number"], ["bob", "gpt-3.5-turbo", 18, 54, "number"], ["dave", "gpt-3.5-turbo", 18, 54, "number"],
  ]);
  const ids = new Map(of("exposure").map((e) => [e.subject, e.assignmentId]));
  for (const e of of("execution")) expect(e.assignmentId).toBe(ids.get(e.subject));
}
