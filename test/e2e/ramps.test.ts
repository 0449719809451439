// A guarded rollout end to end on `wrangler dev --test-scheduled`: the CLI publishes a ramp, the
// minute cron is fired through /__scheduled, traffic comes from the Node SDK over HTTP (POST
// /v1/events → Queue → D1), a treatment whose error rate breaks its guardrail is rolled back, the
// webhook (a local HTTP receiver) gets the decision in Slack's shape, a client holding a live
// connection evaluates the control within 2 s of the tick, a polling one from the higher version, and `edgeflag status` / `edgeflag ramp` show and act.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createClient } from "@edgeflag/sdk";
import { edgeflag } from "../../cli/test/helpers.ts";
import { startDevServer, type DevServer } from "../../scripts/lib/dev-server.ts";

const TOKEN = "e2e-ramps-token";
const ENV = "ramps-e2e";
let dir = "";
let server: DevServer;
let hook: Server;
const posted: { text: string; edgeflag: { action: string; flag: string; allocation: string; rollout: number; version: number | null; reason: string } }[] = [];
let jwks: { keys: object[] };
const api = () => ["--url", server.url, "--token", TOKEN];

const config = {
  flags: {
    "chat-model": {
      enabled: true,
      defaultVariant: "small",
      variants: { small: { value: "gpt-4o-mini" }, large: { value: "gpt-4o" } },
      allocations: [{
        key: "ramp", log: true, rollout: 2000,
        splits: [{ variant: "small", weight: 1 }, { variant: "large", weight: 1 }],
        ramp: { stages: [{ rollout: 2000, minDurationMinutes: 30, minSubjects: 50 }, { rollout: 10000, minDurationMinutes: 30 }], guardrails: [{ metric: "error_rate", threshold: 0.02, minSamples: 20, action: "rollback" }] },
      }],
    },
  },
};

const cron = () => fetch(`${server.url}/__scheduled?cron=${encodeURIComponent("* * * * *")}`).then((r) => r.text());
const ramps = async () => JSON.parse((await edgeflag(["status", "--env", ENV, ...api(), "--json"])).stdout) as { version: number; ramps: { state: { status: string } | null; subjects: Record<string, number>; rollout: number }[] };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edgeflag-ramps-e2e-"));
  expect((await edgeflag(["keys", "generate", "--out", join(dir, "keys")])).code).toBe(0);
  const key = JSON.stringify(JSON.parse(await readFile(join(dir, "keys", "private.jwk"), "utf8")));
  jwks = JSON.parse(await readFile(join(dir, "keys", "jwks.json"), "utf8"));
  hook = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      posted.push(JSON.parse(body));
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((ok) => hook.listen(0, "127.0.0.1", ok));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/slack`;
  await writeFile(join(dir, "dev.vars"), `ADMIN_TOKEN='${TOKEN}'\nSIGNING_KEY='${key}'\nPUBLIC_JWKS='${JSON.stringify(jwks)}'\nRAMP_WEBHOOK_URL='${hookUrl}'\n`);
  await writeFile(join(dir, "flags.json"), JSON.stringify(config));
  server = await startDevServer({ persistTo: join(dir, "state"), envFile: join(dir, "dev.vars"), testScheduled: true });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  hook?.close();
});

describe("a guarded rollout on wrangler dev", () => {
  test("breach → rollback within two ticks, webhook posted, clients get the control; status and ramp commands", async () => {
    expect((await edgeflag(["publish", join(dir, "flags.json"), "--env", ENV, ...api()])).code).toBe(0);
    await cron(); // tick 1: the ramp starts
    expect((await ramps()).ramps[0]!.state).toMatchObject({ status: "running", stage: 0 });

    const client = createClient({ baseUrl: server.url, env: ENV, keys: jwks, pollIntervalMs: 0 });
    await client.ready();
    let calls = 0;
    for (let i = 0; i < 1500; i++) {
      const a = client.evaluate("chat-model", "gpt-4o-mini", { subject: `user-${i}` });
      if (a.allocation !== "ramp") continue;
      a.record(undefined, { latencyMs: 300, ...(a.variant === "large" && i % 4 === 0 ? { error: "upstream 500" } : {}) });
      if (++calls % 200 === 0) await client.flush();
    }
    await client.flush();
    const deadline = Date.now() + 30_000;
    let seen = 0;
    while (Date.now() < deadline && seen < calls) {
      await new Promise((r) => setTimeout(r, 500));
      seen = Object.values((await ramps()).ramps[0]!.subjects).reduce((a, b) => a + b, 0);
    }
    expect(seen).toBe(calls);

    // A client holding a live connection (polling only every minute) sees the rollback in seconds.
    const live = createClient({ baseUrl: server.url, env: ENV, keys: jwks, live: true, pollIntervalMs: 60_000 });
    await live.ready();
    await new Promise((r) => setTimeout(r, 300)); // the socket opens after the first fetch
    const largeUser = Array.from({ length: 1500 }, (_, i) => `user-${i}`).find((s) => live.evaluate("chat-model", "none", { subject: s }).value === "gpt-4o")!;
    const rolledBack = new Promise<number>((resolve) => live.on("update", () => live.evaluate("chat-model", "none", { subject: largeUser }).value === "gpt-4o-mini" && resolve(performance.now())));

    const before = (await ramps()).version;
    const tickAt = performance.now();
    await cron(); // tick 2: the breach is decided and rolled back
    const seenAfter = (await rolledBack) - tickAt;
    live.close();
    expect(seenAfter).toBeLessThan(2000);
    console.log(`ramp rollback → live client evaluates the control: ${seenAfter.toFixed(0)} ms after the tick began`);
    const after = await ramps();
    expect(after.version).toBe(before + 1);
    expect(after.ramps[0]).toMatchObject({ rollout: 0, state: { status: "rolled_back" } });
    await cron(); // a third tick changes nothing
    expect((await ramps()).version).toBe(after.version);

    const rollback = posted.find((p) => p.edgeflag.action === "rollback")!;
    expect(rollback.text).toMatch(new RegExp(`^:rotating_light: edgeflag rolled back chat-model/ramp in ${ENV}: 20% → 0% \\(version ${after.version}\\)\\. error_rate: breach: harm \\+0\\.\\d+ vs margin 0\\.020`));
    expect(rollback.edgeflag).toMatchObject({ flag: "chat-model", allocation: "ramp", rollout: 0, version: after.version });
    expect(posted.map((p) => p.edgeflag.action)).toEqual(["start", "rollback"]);

    await client.refresh();
    for (let i = 0; i < 300; i++) expect(client.evaluate("chat-model", "none", { subject: `user-${i}` }).value).toBe("gpt-4o-mini");
    client.close();

    const status = await edgeflag(["status", "--env", ENV, ...api()]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^chat-model\/ramp: rolled_back, stage 1 of 2 at 0%, \d+ min in stage \(minimum 30 min\)$/m);
    expect(status.stdout).toMatch(/^error_rate +0\.\d+ +0\.020 +\[0\.\d+, 0\.\d+\] +\S+ +breach +rollback$/m);
    expect(status.stdout).toMatch(/^ {2}last decision: rollback by edgeflag-watcher at \S+ \(version \d+\): error_rate: breach/m);

    const resumed = await edgeflag(["ramp", "resume", "--env", ENV, "--flag", "chat-model", "--allocation", "ramp", "--reason", "fixed the prompt", ...api()]);
    expect(resumed).toMatchObject({ code: 0, stdout: `resume chat-model/ramp in ${ENV}: now running, stage 1, rollout 20% (version ${after.version + 1})\n` });
    const refused = await edgeflag(["ramp", "resume", "--env", ENV, "--flag", "chat-model", "--allocation", "ramp", ...api()]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("409 RAMP_STATE: cannot resume a ramp that is running: it is not stopped");
    const history = await edgeflag(["history", "--env", ENV, ...api()]);
    expect(history.stdout).toMatch(/ bootstrap +ramp +resume: fixed the prompt$/m);
  });
});
