// End to end on `wrangler dev` (migrations applied as npm start does): the SDK sends exposures,
// feedback, executions and outcomes through POST /v1/events → Queue → D1, and the results route
// and `edgeflag results` count them exactly.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createClient } from "@edgeflag/sdk";
import { edgeflag } from "../../cli/test/helpers.ts";
import { startDevServer, type DevServer } from "../../scripts/lib/dev-server.ts";

const ENV = "e2e-results";
const TOKEN = "e2e-results-token";
let dir = "";
let server: DevServer;

const CONFIG = {
  flags: {
    model: {
      enabled: true,
      variants: { small: { value: "gpt-4o-mini" }, large: { value: "gpt-4o" } },
      defaultVariant: "small",
      allocations: [{ key: "exp", splits: [{ variant: "small", weight: 1 }, { variant: "large", weight: 1 }], log: true }],
      experiment: { control: "small", minSubjects: 5 },
    },
  },
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edgeflag-e2e-results-"));
  expect((await edgeflag(["keys", "generate", "--out", join(dir, "keys")])).code).toBe(0);
  const jwks = JSON.stringify(JSON.parse(await readFile(join(dir, "keys", "jwks.json"), "utf8")));
  const key = JSON.stringify(JSON.parse(await readFile(join(dir, "keys", "private.jwk"), "utf8")));
  await writeFile(join(dir, "dev.vars"), `ADMIN_TOKEN='${TOKEN}'\nSIGNING_KEY='${key}'\nPUBLIC_JWKS='${jwks}'\n`);
  server = await startDevServer({ persistTo: join(dir, "state"), envFile: join(dir, "dev.vars") });
  const published = await fetch(`${server.url}/v1/admin/configs/${ENV}`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify({ config: CONFIG }) });
  expect(published.status).toBe(201);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

type Tally = { subjects: number; ups: number; thumbs: number; calls: number; latency: number; input: number; output: number };

async function results(): Promise<any> {
  const res = await fetch(`${server.url}/v1/results/${ENV}/model`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return res.json();
}

describe("events and results on wrangler dev", () => {
  test("the SDK's events are stored once and the results count them exactly", async () => {
    const jwks = await (await fetch(`${server.url}/.well-known/jwks.json`)).json();
    const client = createClient({ baseUrl: server.url, env: ENV, keys: jwks, pollIntervalMs: 0, batchSize: 25, flushIntervalMs: 60_000 });
    expect((await client.ready()).ok).toBe(true);
    const tally: Record<string, Tally> = {};
    for (let i = 0; i < 60; i++) {
      const subject = `user-${i}`;
      const a = client.evaluate("model", "gpt-4o-mini", { subject });
      expect(a.reason).toBe("SPLIT");
      const t = (tally[a.variant!] ??= { subjects: 0, ups: 0, thumbs: 0, calls: 0, latency: 0, input: 0, output: 0 });
      t.subjects++;
      // Every subject evaluates twice: one exposure, one subject.
      client.evaluate("model", "gpt-4o-mini", { subject });
      const calls = 1 + (i % 3);
      for (let c = 0; c < calls; c++) {
        const latencyMs = 100 + ((i * 37 + c * 11) % 400);
        a.record({ usage: { prompt_tokens: 50 + i, completion_tokens: 20 + c } }, { latencyMs, model: a.value });
        t.calls++;
        t.latency += latencyMs;
        t.input += 50 + i;
        t.output += 20 + c;
      }
      if (i % 2 === 0) {
        const rating = i % 4 === 0 ? "up" : "down";
        client.feedback(a, rating);
        t.thumbs++;
        if (rating === "up") t.ups++;
      }
      a.success();
    }
    await client.flush();
    client.close();

    const expectedSubjects = { small: tally.small!.subjects, large: tally.large!.subjects };
    let body: any;
    const deadline = Date.now() + 30_000;
    do {
      await new Promise((r) => setTimeout(r, 500));
      body = await results();
    } while (Date.now() < deadline && !(body.variants.every((v: any) => v.subjects === (expectedSubjects as any)[v.variant]) && body.variants.every((v: any) => v.metrics.success_rate.subjects === (expectedSubjects as any)[v.variant]) && body.variants.every((v: any) => v.metrics.latency_ms.value !== null && Math.abs(v.metrics.latency_ms.value - tally[v.variant]!.latency / tally[v.variant]!.calls) < 1e-9)));

    expect(body.status).toBe("ok");
    expect(body.srm.observed).toEqual(expectedSubjects);
    for (const v of body.variants) {
      const t = tally[v.variant]!;
      expect(v.subjects).toBe(t.subjects);
      expect(v.metrics.thumbs_up_rate.value).toBeCloseTo(t.ups / t.thumbs, 12);
      expect(v.metrics.latency_ms.value).toBeCloseTo(t.latency / t.calls, 9);
      expect(v.metrics.input_tokens.value).toBeCloseTo(t.input / t.calls, 9);
      expect(v.metrics.output_tokens.value).toBeCloseTo(t.output / t.calls, 9);
      expect(v.metrics.success_rate.value).toBe(1);
      expect(v.metrics.error_rate.value).toBe(0);
    }
    const counts = body.comparisons.map((c: any) => c.metric);
    expect(counts).toContain("thumbs_up_rate");
    expect(counts).toContain("latency_ms");

    // The CLI prints the same results: as JSON, and as a table.
    const json = await edgeflag(["results", "--env", ENV, "--flag", "model", "--url", server.url, "--token", TOKEN, "--json"]);
    expect(json.code).toBe(0);
    const cli = JSON.parse(json.stdout);
    expect(cli.variants.map((v: any) => [v.variant, v.subjects])).toEqual(body.variants.map((v: any) => [v.variant, v.subjects]));
    const table = await edgeflag(["results", "--env", ENV, "--flag", "model", "--url", server.url, "--token", TOKEN]);
    expect(table.code).toBe(0);
    if (process.env.SHOW_TABLE) console.log(table.stdout);
    expect(table.stdout).toContain(`model in ${ENV} · allocation exp · control small`);
    expect(table.stdout).toMatch(new RegExp(`^subjects\\s+${expectedSubjects.small}\\s+${expectedSubjects.large}$`, "m"));
    expect(table.stdout).toMatch(/^large\s+👍 share of thumbs\s+[+-]\d+\.\d%/m);
    const wrong = await edgeflag(["results", "--env", ENV, "--flag", "model", "--url", server.url, "--token", "wrong"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("401");
  });

  test("a batch resent is stored once: the second answer (?resent=1, as the SDK marks it) counts duplicates", async () => {
    const ev = (type: string, extra: object) => ({ id: crypto.randomUUID(), type, env: ENV, ts: Date.now(), subject: "dup-user", ...extra });
    const batch = [ev("custom", { name: "copied", value: 1 }), ev("custom", { name: "copied", value: 2 })];
    const send = (resent = false) => fetch(`${server.url}/v1/events${resent ? "?resent=1" : ""}`, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify(batch) }).then((r) => r.json());
    expect(await send()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    let again: any;
    const deadline = Date.now() + 15_000;
    do {
      await new Promise((r) => setTimeout(r, 300));
      again = await send(true);
    } while (again.duplicates < 2 && Date.now() < deadline);
    expect(again).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
  });
});
