// What the SDK sends is what the Worker accepts: every event the client makes, of every type,
// validates against config-schema/schema/event.v1.json (the contract POST /v1/events enforces).
import { beforeEach, expect, test } from "vitest";
import { validateEvent } from "@edgeflag/config-schema";
import { FlagServer, useFlagServer } from "./flag-server.ts";

const { server: current, make } = useFlagServer();
let server: FlagServer;
beforeEach(() => {
  server = current();
});

test("every event type the client makes passes the event schema", async () => {
  const client = make({ batchSize: 100, flushIntervalMs: 60_000 });
  await client.ready();
  const a = client.evaluate("chat-model", "x");
  client.feedback(a, "up", { comment: "nice", reason: "formatting" });
  client.feedback(a, 4);
  a.record({ usage: { prompt_tokens: 12, completion_tokens: 30 } }, { latencyMs: 812, ttftMs: 90, cost: 0.002, model: "gpt-4o", temperature: 0.2 });
  a.record({ usage: { input_tokens: 7, output_tokens: 9 } }, { error: new Error("upstream 529") });
  a.success();
  a.failure();
  a.track("copied", 1);
  client.track("regenerated");
  client.track("follow-up", 2, { subject: "someone-else" });
  const missing = client.evaluate("no-such-flag", "d");
  client.feedback(missing, "down");
  await client.flush();
  const types = server.events.map((e) => e.type);
  expect(new Set(types)).toEqual(new Set(["exposure", "feedback", "execution", "outcome", "custom"]));
  expect(server.events).toHaveLength(11);
  for (const event of server.events) expect([event.type, validateEvent(event, { now: Date.now() })]).toEqual([event.type, { valid: true }]);
});
