/**
 * Events: ingestion throughput with wrk posting batches of 50 events to 127.0.0.1 (edgeflag's
 * POST /v1/events → Queue → D1, beside a no-op POST Worker, both on `wrangler dev` in the same
 * run; every exposure real, so the Worker's exposure check accepts it, and a row without that
 * check), and the accounting of what was stored afterwards (the results query: results.mjs).
 *
 * `npx node bench/events.mjs` runs this part alone.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { promisify } from "node:util";
import { applyMigrations, startDevServer } from "../scripts/lib/dev-server.ts";
import { resultTablesDdl } from "../analysis/src/index.ts";
import { assignedSplit, compileConfig } from "../sdk-js/src/core/index.ts";
import { fixed, int, median, printTable } from "./table.mjs";

const ROUNDS = 5;
const SECONDS = 4;
const BATCH = 50;
const run = promisify(execFile);
export const TOKEN = "bench-token";

const CONFIG = {
  flags: {
    model: {
      enabled: true,
      variants: { small: { value: "gpt-4o-mini" }, large: { value: "gpt-4o" } },
      defaultVariant: "small",
      allocations: [{ key: "exp", splits: [{ variant: "small", weight: 1 }, { variant: "large", weight: 1 }], log: true }],
      experiment: { control: "small", sequential: true },
    },
  },
};

/** 5,000 subjects with the variant CONFIG assigns each (the SDK core's own bucket), for the wrk script's exposures. */
async function subjectsFile(dir) {
  const compiled = compileConfig(CONFIG);
  const lines = Array.from({ length: 5000 }, (_, k) => `s-${k} ${assignedSplit(compiled, "model", "exp", `s-${k}`).variant}`);
  const file = join(dir, "subjects.txt");
  await writeFile(file, lines.join("\n") + "\n");
  return file;
}

/** CONFIG as version 1 of env "bench" on a dev server, so its exposures pass the check. */
export async function publishConfig(url) {
  const res = await fetch(`${url}/v1/admin/configs/bench`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify({ config: CONFIG }) });
  if (res.status !== 201) throw new Error(`publish failed: ${res.status} ${await res.text()}`);
}

async function wrk(url, round, subjects) {
  const { stdout } = await run("wrk", ["-t2", "-c16", `-d${SECONDS}s`, "-s", "bench/events-post.lua", url, "--", String(round), subjects]);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? NaN),
    acked: Number(/ACKED (\d+)/.exec(stdout)?.[1] ?? 0),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0),
  };
}

/** The local D1 file of a wrangler state directory (read directly: no Worker in the way). */
export async function d1File(persistTo) {
  const dir = join(persistTo, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = (await readdir(dir)).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (!file) throw new Error(`no D1 database in ${dir}`);
  return join(dir, file);
}

function countEvents(file) {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return Number(db.prepare("SELECT COUNT(*) AS n FROM events").get().n);
  } finally {
    db.close();
  }
}

async function drained(file, atLeast) {
  let last = -1;
  let stableSince = Date.now();
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    const n = countEvents(file);
    if (n !== last) stableSince = Date.now();
    if (n >= atLeast && Date.now() - stableSince > 3000) return n;
    last = n;
    await new Promise((r) => setTimeout(r, 500));
  }
  return countEvents(file);
}

export async function devVars(dir) {
  const r = spawnSync("node_modules/.bin/edgeflag", ["keys", "generate", "--out", join(dir, "keys"), "--json"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`edgeflag keys generate failed: ${r.stderr}`);
  const key = JSON.stringify(JSON.parse(await readFile(join(dir, "keys", "private.jwk"), "utf8")));
  await writeFile(join(dir, "dev.vars"), `ADMIN_TOKEN='${TOKEN}'\nSIGNING_KEY='${key}'\n`);
}

/** The breakdown rows: bench/ingest-parts/<part>.ts, each the Worker with one stage taken out. */
const PARTS = [
  ["no-check", "  same, exposures not checked against their config"],
  ["ack-only", "  same, consumer acks without storing (no D1/R2)"],
  ["no-send", "  same, accepted events dropped (no Queue)"],
];

/** The project's wrangler.toml with `main` pointing at a breakdown entry (paths made absolute). */
async function partConfig(dir, part) {
  const root = process.cwd();
  const toml = (await readFile("wrangler.toml", "utf8"))
    .replace(/^name = "edgeflag"$/m, `name = "edgeflag-bench-${part}"`)
    .replace(/^main = ".*"$/m, `main = "${root}/bench/ingest-parts/${part}.ts"`)
    .replace(/^migrations_dir = "(.*)"$/m, (_, d) => `migrations_dir = "${join(root, d)}"`)
    .replace(/^directory = "(.*)"$/m, (_, d) => `directory = "${join(root, d)}"`);
  // A wrangler.toml whose `main` line no longer matches would silently bench the real Worker.
  if (!toml.includes(`/bench/ingest-parts/${part}.ts"`)) throw new Error(`wrangler.toml has no \`main = "..."\` line to point at bench/ingest-parts/${part}.ts`);
  const file = join(dir, `${part}.toml`);
  await writeFile(file, toml);
  return file;
}

/** A local D1 with every migration but without 0009's triggers: storing as it was before the results tables. */
async function withoutFolding(state) {
  applyMigrations(state);
  const db = new DatabaseSync(await d1File(state));
  for (const sql of resultTablesDdl()) {
    const trigger = /^CREATE TRIGGER (\w+)/.exec(sql);
    if (trigger) db.exec(`DROP TRIGGER ${trigger[1]}`);
  }
  db.close();
}

async function ingestion(dir) {
  const state = join(dir, "ingest");
  const servers = [];
  try {
    const subjects = await subjectsFile(dir);
    const ours = await startDevServer({ persistTo: state, envFile: join(dir, "dev.vars") });
    servers.push(ours);
    await publishConfig(ours.url);
    const peer = await startDevServer({ persistTo: join(dir, "peer"), config: "bench/noop-post/wrangler.toml", probe: "/", migrate: false });
    servers.push(peer);
    const cases = [["no-op POST Worker (peer)", peer.url], ["POST /v1/events → Queue → D1", `${ours.url}/v1/events`]];
    // Where ours spends its time: the same Worker with its consumer only acking, and with no Queue.
    for (const [part, name] of PARTS) {
      const server = await startDevServer({ persistTo: join(dir, part), config: await partConfig(dir, part), envFile: join(dir, "dev.vars"), migrate: true });
      servers.push(server);
      await publishConfig(server.url);
      cases.push([name, `${server.url}/v1/events`]);
    }
    // What keeping the results tables costs: the same Worker over a D1 without 0009's triggers.
    const bare = join(dir, "no-fold");
    await withoutFolding(bare);
    const unfolded = await startDevServer({ persistTo: bare, envFile: join(dir, "dev.vars"), migrate: false });
    servers.push(unfolded);
    await publishConfig(unfolded.url);
    cases.push(["  same, results tables not kept (0009's triggers dropped)", `${unfolded.url}/v1/events`]);
    const results = cases.map(() => []);
    const file = await d1File(state);
    const drains = new Map([[1, file], [cases.length - 1, await d1File(bare)]]);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [i, [, url]] of cases.entries()) {
        results[i].push(await wrk(url, i === 1 ? round : 1000 * i + round, subjects));
        // Let the consumer finish before the next measurement, so its work is charged to its own row only.
        if (drains.has(i)) await drained(drains.get(i), results[i].reduce((s, r) => s + r.acked, 0) * BATCH);
      }
    }
    const peerRps = median(results[0].map((r) => r.rps));
    printTable(
      `Event ingestion — wrk -t2 -c16 -d${SECONDS}s, ${BATCH} events per POST (text/plain JSON, as beacons send), 127.0.0.1, wrangler dev (local), median of ${ROUNDS} interleaved rounds`,
      ["route", "req/s (median)", "events/s", "runs", "vs peer", "non-2xx"],
      cases.map(([name], i) => {
        const rps = median(results[i].map((r) => r.rps));
        return [name, int(rps), int(rps * BATCH), results[i].map((r) => int(r.rps)).join(" "), `${fixed((rps / peerRps) * 100, 0)}%`, int(results[i].reduce((s, r) => s + r.non2xx, 0))];
      }),
      { right: [1, 2, 4, 5] },
    );
    const acked = results[1].reduce((s, r) => s + r.acked, 0) * BATCH;
    const stored = await drained(file, acked);
    // Every stored batch must be whole (50 events), and a batch is stored once (the id is the key).
    const db = new DatabaseSync(file, { readOnly: true });
    const partial = Number(db.prepare("SELECT COUNT(*) AS n FROM (SELECT substr(id, 1, 20) || substr(id, 24) AS batch, COUNT(*) AS c FROM events GROUP BY batch HAVING c <> ?)").get(BATCH).n);
    db.close();
    const unanswered = (stored - acked) / BATCH;
    const ok = stored >= acked && partial === 0 && unanswered <= 16 * ROUNDS;
    console.log(`accounting: events answered 202: ${int(acked)}; rows in D1 once the queue drained: ${int(stored)}, in ${int(stored / BATCH)} whole batches` +
      ` (${unanswered} = the requests wrk wrote and stopped waiting for, one per connection per round, which the server stored too) → ${ok ? "no event lost, none doubled" : "MISMATCH"}`);
    const share = (i) => 1 / median(results[i].map((r) => r.rps));
    const [full, noCheck, ackOnly, noSend] = [1, 2, 3, 4].map(share);
    const total = full - share(0);
    const eventsPerSecond = (i) => int(median(results[i].map((r) => r.rps)) * BATCH);
    console.log(`exposure check (each exposure's variant re-derived from its signed config version, ${BATCH / 5} of the ${BATCH} events per POST): ${eventsPerSecond(1)} events/s with it,` +
      ` ${eventsPerSecond(2)} without, same run → ${fixed(((full - noCheck) / full) * 100, 1)}% of a request's time`);
    const unfoldedShare = share(cases.length - 1);
    console.log(`results tables (0009's triggers folding each stored event): ${eventsPerSecond(1)} events/s with them, ${eventsPerSecond(cases.length - 1)} without, same run → ${fixed(((full - unfoldedShare) / full) * 100, 1)}% of a request's time`);
    console.log(`breakdown of ours' extra time per request over the peer's: routing ([assets] router, then the route and its exposure check) ${fixed(((noSend - share(0)) / total) * 100, 0)}%, Queue send and delivery ${fixed(((ackOnly - noSend) / total) * 100, 0)}%,` +
      ` consumer storing in D1 + R2 ${fixed(((full - ackOnly) / total) * 100, 0)}% (all three run in one workerd process here)`);
    console.log("goal: ingestion >= 50% of the peer's req/s. Numbers from a dev server on 2 shared cores; they say nothing about production.");
    console.log("");
    return ok;
  } finally {
    for (const s of servers) await s.stop();
  }
}

export async function benchEvents() {
  if (spawnSync("wrk", ["--version"]).error) {
    console.log("Event ingestion: skipped — wrk is not installed (apt-get install wrk).\n");
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), "edgeflag-bench-events-"));
  try {
    await devVars(dir);
    await ingestion(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchEvents();
