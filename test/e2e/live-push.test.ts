// Live push end to end on `wrangler dev`: a Node client with `live: true` and a 60 s poll holds a
// WebSocket to the env's ConfigWriter and evaluates each rollback made through the admin API
// within 2 s of the rollback's response (a poll alone would take 30 s on average); so does the same
// client in real Deno, on Deno's own WebSocket.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
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

describe("live push on wrangler dev", () => {
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

  test("Deno: the same client on Deno's WebSocket evaluates a rollback within 2 s of its response", async () => {
    const { on, off } = await publishOnOff(worker);
    const deno = fileURLToPath(new URL("../../node_modules/.bin/deno", import.meta.url));
    const runner = fileURLToPath(new URL("../../sdk-js/runtime-tests/live-deno-runner.ts", import.meta.url));
    const child = spawn(deno, ["run", "--quiet", "--allow-net=127.0.0.1", runner, worker.url, worker.env, JSON.stringify(worker.jwks), FLAG], { env: { ...process.env, NO_COLOR: "1" }, stdio: ["pipe", "pipe", "inherit"] });
    try {
      const lines: Array<{ ready?: unknown; version?: number; value: boolean; at?: number }> = [];
      createInterface({ input: child.stdout! }).on("line", (line) => lines.push(JSON.parse(line)));
      const deadline = Date.now() + 30_000;
      while (lines.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(lines[0]).toEqual({ ready: { ok: true, version: off, source: "network" }, value: false });
      const { version, ms } = await rollbackSeen(worker, on, () => lines.some((l) => l.value === true));
      const seen = lines.find((l) => l.value === true)!;
      expect(seen.version).toBe(version);
      console.log(`live push, Deno: rollback response → client evaluates the new config in ${Math.round(ms)} ms (as read through its stdout)`);
      expect(ms).toBeLessThan(2000);
    } finally {
      child.stdin!.end();
      child.kill();
    }
  }, 60_000);
});
