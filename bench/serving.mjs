/**
 * Config serving throughput with wrk on 127.0.0.1 (bounded: a few seconds per run): edgeflag's
 * GET /v1/configs/:env (the 200 path and the 304 path) beside a trivial KV-read Worker, both on
 * `wrangler dev` in the same run, over the same local KV state.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startDevServer } from "../scripts/lib/dev-server.ts";
import { fixed, int, median, printTable } from "./table.mjs";

const ROUNDS = 3;
const SECONDS = 4;
const run = promisify(execFile);

async function wrk(url, headers = []) {
  const args = ["-t2", "-c16", `-d${SECONDS}s`, ...headers.flatMap((h) => ["-H", h]), url];
  const { stdout } = await run("wrk", args);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? NaN);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  return { rps, non2xx };
}

function edgeflag(...args) {
  const r = spawnSync("node_modules/.bin/edgeflag", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`edgeflag ${args[0]} failed: ${r.stderr}`);
  return r.stdout;
}

export async function benchServing(config) {
  if (spawnSync("wrk", ["--version"]).error) {
    console.log("Config serving throughput: skipped — wrk is not installed (apt-get install wrk).\n");
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), "edgeflag-bench-"));
  const servers = [];
  try {
    edgeflag("keys", "generate", "--out", join(dir, "keys"), "--json");
    await writeFile(join(dir, "flags.json"), JSON.stringify(config));
    edgeflag("publish", join(dir, "flags.json"), "--env", "bench", "--local", "--persist-to", join(dir, "state"), "--key", join(dir, "keys", "private.jwk"));
    const jwks = JSON.stringify(JSON.parse(await readFile(join(dir, "keys", "jwks.json"), "utf8")));
    await writeFile(join(dir, "dev.vars"), `PUBLIC_JWKS='${jwks}'\n`);
    const ours = await startDevServer({ persistTo: join(dir, "state"), envFile: join(dir, "dev.vars") });
    servers.push(ours);
    const peer = await startDevServer({ persistTo: join(dir, "state"), config: "bench/kv-read/wrangler.toml", probe: "/?key=config:bench:1" });
    servers.push(peer);
    const etag = (await fetch(`${ours.url}/v1/configs/bench`)).headers.get("etag");
    const cases = [
      ["trivial KV-read Worker (peer)", `${peer.url}/?key=config:bench:1`, []],
      ["GET /v1/configs/:env → 200", `${ours.url}/v1/configs/bench`, []],
      ["GET /v1/configs/:env → 304 (If-None-Match)", `${ours.url}/v1/configs/bench`, [`If-None-Match: ${etag}`]],
    ];
    const results = cases.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, [, url, headers]] of cases.entries()) results[i].push(await wrk(url, headers));
    }
    const peerRps = median(results[0].map((r) => r.rps));
    printTable(
      `Config serving — wrk -t2 -c16 -d${SECONDS}s on 127.0.0.1, wrangler dev (local), median of ${ROUNDS} interleaved rounds; JWS ${int((await (await fetch(`${ours.url}/v1/configs/bench`)).text()).length)} B`,
      ["route", "req/s (median)", "runs", "vs peer", "non-2xx/3xx"],
      cases.map(([name], i) => {
        const rps = median(results[i].map((r) => r.rps));
        return [name, int(rps), results[i].map((r) => int(r.rps)).join(" "), `${fixed((rps / peerRps) * 100, 0)}%`, int(results[i].reduce((s, r) => s + r.non2xx, 0))];
      }),
      { right: [1, 3, 4] },
    );
    console.log("goal: the 200 path >= 80% of the peer. Numbers from a dev server on 2 shared cores; they say nothing about production.");
    console.log("");
  } finally {
    for (const s of servers) await s.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
