// Live push end to end on `wrangler dev`: a Node client with `live: true` and a 60 s poll holds a
// WebSocket to the env's ConfigWriter and evaluates each rollback made through the admin API
// within 2 s of the rollback's response (a poll alone would take 30 s on average).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createClient, type EdgeflagClient } from "../../sdk-js/src/index.ts";
import type { ClientError } from "../../sdk-js/src/client/errors.ts";
import { startDemoWorker, type DemoWorker } from "../../scripts/lib/demo-worker.ts";
import { FLAG, publishOnOff, rollbackSeen } from "../../scripts/lib/live-push.ts";

let worker: DemoWorker;
let client: EdgeflagClient | undefined;

beforeAll(async () => {
  worker = await startDemoWorker({ env: "live-node" });
}, 120_000);

afterAll(async () => {
  client?.close();
  await worker?.stop();
});

describe("live push to a Node client", () => {
  test("with live: true and pollIntervalMs 60000, each rollback is evaluated within 2 s of its response", async () => {
    const { on, off } = await publishOnOff(worker);
    client = createClient({ baseUrl: worker.url, env: worker.env, keys: worker.jwks as never, subject: "user-1", live: true, pollIntervalMs: 60_000, flushIntervalMs: 0 });
    const errors: ClientError[] = [];
    client.on("error", (e) => errors.push(e));
    expect(await client.ready()).toEqual({ ok: true, version: off, source: "network" });
    expect(client.getBoolean(FLAG, true)).toBe(false);
    const c = client;
    const figures: number[] = [];
    for (const [i, to] of [on, off, on].entries()) {
      const want = to === on;
      const { version, ms } = await rollbackSeen(worker, to, () => c.getBoolean(FLAG, !want) === want);
      expect(c.version).toBe(off + 1 + i);
      expect(version).toBe(off + 1 + i);
      figures.push(ms);
      expect(ms).toBeLessThan(2000);
    }
    console.log(`live push, Node: rollback response → client evaluates the new config in ${figures.map((ms) => `${Math.round(ms)} ms`).join(", ")}`);
    expect(errors).toEqual([]);
  }, 60_000);
});
