/**
 * Guarded rollouts: from a breach being decidable (the breaching events stored in D1) to the
 * rollback being served (GET /v1/configs/<env> answers the new, higher version), on `wrangler dev
 * --test-scheduled` with the minute cron fired by hand. In production the cron adds its own wait
 * before the tick: 0 to 60 s, 30 s on average (computed, not measured).
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "../sdk-js/src/index.ts";
import { startDevServer } from "../scripts/lib/dev-server.ts";
import { fixed, median, printTable } from "./table.mjs";

const TRIALS = 10;
const TOKEN = "bench-ramps-token";
const config = {
  flags: {
    model: {
      enabled: true,
      defaultVariant: "small",
      variants: { small: { value: "gpt-4o-mini" }, large: { value: "gpt-4o" } },
      allocations: [{
        key: "ramp", log: true, rollout: 2000,
        splits: [{ variant: "small", weight: 1 }, { variant: "large", weight: 1 }],
        ramp: { stages: [{ rollout: 2000, minDurationMinutes: 60 }, { rollout: 10000, minDurationMinutes: 60 }], guardrails: [{ metric: "error_rate", threshold: 0.02, minSamples: 20, action: "rollback" }] },
      }],
    },
  },
};

const admin = (url, path, body) => fetch(`${url}/v1/admin${path}`, { method: body ? "POST" : "GET", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: body && JSON.stringify(body) });
const latestVersion = async (url, env) => Number((await fetch(`${url}/v1/configs/${env}`, { method: "HEAD" })).headers.get("etag")?.replaceAll('"', "") ?? NaN);
const tick = (url) => fetch(`${url}/__scheduled?cron=${encodeURIComponent("* * * * *")}`).then((r) => r.text());

/** One trial: a ramp in its own env, breaching traffic through POST /v1/events, then tick → served. */
async function trial(url, jwks, i) {
  const env = `ramp-bench-${i}`;
  const published = await admin(url, `/configs/${env}`, { config });
  if (published.status !== 201) throw new Error(`publish: ${published.status} ${await published.text()}`);
  await tick(url); // starts the ramp
  const client = createClient({ baseUrl: url, env, keys: jwks, pollIntervalMs: 0 });
  await client.ready();
  let calls = 0;
  for (let k = 0; k < 1200; k++) {
    const a = client.evaluate("model", null, { subject: `u-${k}` });
    if (a.allocation !== "ramp") continue;
    a.record(undefined, { latencyMs: 300, ...(a.variant === "large" && k % 4 === 0 ? { error: "upstream 500" } : {}) });
    if (++calls % 200 === 0) await client.flush();
  }
  await client.flush();
  client.close();
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const status = await (await admin(url, `/ramps/${env}`)).json();
    const seen = Object.values(status.ramps[0].subjects).reduce((a, b) => a + b, 0);
    if (seen === calls) break;
  }
  const before = await latestVersion(url, env);
  const t0 = performance.now();
  await tick(url);
  while ((await latestVersion(url, env)) === before) {
    if (performance.now() - t0 > 30_000) throw new Error(`${env}: no rollback served within 30 s`);
  }
  return performance.now() - t0;
}

/** Prints the table; never throws (a failure is printed as FAILED). */
export async function benchRamps() {
  const dir = await mkdtemp(join(tmpdir(), "edgeflag-bench-ramps-"));
  let server;
  try {
    execFileSync(process.execPath, ["cli/bin/edgeflag.mjs", "keys", "generate", "--out", join(dir, "keys")], { stdio: "ignore" });
    const key = JSON.stringify(JSON.parse(await readFile(join(dir, "keys", "private.jwk"), "utf8")));
    const jwks = JSON.parse(await readFile(join(dir, "keys", "jwks.json"), "utf8"));
    await writeFile(join(dir, "dev.vars"), `ADMIN_TOKEN='${TOKEN}'\nSIGNING_KEY='${key}'\nPUBLIC_JWKS='${JSON.stringify(jwks)}'\n`);
    server = await startDevServer({ persistTo: join(dir, "state"), envFile: join(dir, "dev.vars"), testScheduled: true });
    const times = [];
    for (let i = 0; i < TRIALS; i++) times.push(await trial(server.url, jwks, i));
    printTable(
      `Guarded rollout — breach decidable (events in D1) → rollback served, ${TRIALS} trials on wrangler dev (1 ramp, 1 guardrail, ~240 subjects)`,
      ["step", "median ms", "max ms"],
      [
        ["cron tick → new version served (measured)", fixed(median(times), 0), fixed(Math.max(...times), 0)],
        ["wait for the next minute tick (computed: cron granularity)", "30000", "60000"],
      ],
      { right: [1, 2] },
    );
  } catch (e) {
    console.log(`Guarded rollout bench FAILED: ${e.message}`);
  } finally {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }
  console.log("");
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRamps();
