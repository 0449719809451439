// "The SDK never crashes its host", inside workerd: the Worker shell (`@edgeflag/sdk/worker`)
// runs the hostile session of every runtime (sdk-js/runtime-tests/hostile-record.ts): a circular
// object, a BigInt, metadata 10,000 deep, a 100 KB blob. Every call returns, every change is an
// EVENT_SANITIZED error event, and every event of the session reaches the real Queue, made safe,
// and is stored in D1 by the real consumer.
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { expect, test } from "vitest";
import type { ClientError } from "@edgeflag/sdk";
import { createWorkerClient, kvConfigSource, type QueueLike } from "@edgeflag/sdk/worker";
import { checkHostile, hostileSession } from "../../sdk-js/runtime-tests/hostile-record.ts";
import { waitStored } from "./events-helpers.ts";
import { PUBLIC_JWKS, publish } from "./helpers.ts";

test("record() of circular, BigInt, 10,000-deep and huge data through the Worker shell: every event queued made safe and stored", async () => {
  await publish("shell-hostile");
  const sent: Array<Record<string, unknown>> = [];
  const queue: QueueLike = {
    send(body, options) {
      const [, ...lines] = body.trimEnd().split("\n");
      sent.push(...lines.map((l) => JSON.parse(l) as Record<string, unknown>));
      return env.EVENTS.send(body, options);
    },
  };
  const client = createWorkerClient({ env: "shell-hostile", keys: PUBLIC_JWKS, queue, source: kvConfigSource(env.FLAGS, "shell-hostile") });
  const errors: ClientError[] = [];
  client.on("error", (e) => errors.push(e));
  expect((await client.ready()).ok).toBe(true);
  const ctx = createExecutionContext();
  ctx.waitUntil(hostileSession(client));
  await waitOnExecutionContext(ctx);
  expect(errors.filter((e) => e.code !== "EVENT_SANITIZED")).toEqual([]);
  expect(checkHostile(sent, errors)).toBeNull();
  const ids = sent.map((e) => e.id as string);
  expect(ids).toHaveLength(10); // the exposure and the nine events of the session
  expect(await waitStored(ids)).toBe(10);
});
