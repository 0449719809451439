// `npm start`: make dev keys on first run (git-ignored, in .edgeflag/), write the Worker's local
// secrets (with the key set the dev root signs), seed the demo config into local KV when `development` has nothing (never over a
// config someone else published: scripts/lib/demo-seed.ts), run `wrangler dev`, and once it answers
// post a week of demo traffic into the demo env when it has none (scripts/lib/demo-traffic.ts), so
// the dashboard at / has something true to show.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { applyMigrations } from "./lib/dev-server.ts";
import { DEMO_ACTOR, seedDemo } from "./lib/demo-seed.ts";
import { seedDemoTraffic } from "./lib/demo-traffic.ts";
import { devKeySet } from "./lib/dev-root.ts";

const DIR = ".edgeflag";
const KEYS = `${DIR}/dev-keys`;
const ENV = "development";
const DEMO = "examples/demo-config.json";
const edgeflag = (...args) => spawnSync("edgeflag", args, { encoding: "utf8", env: { ...process.env, EDGEFLAG_ACTOR: DEMO_ACTOR } });
const step = (text) => console.log(`\x1b[36m▸\x1b[0m ${text}`);

step("building the SDK and public/ (npm run build)");
if (spawnSync("node", ["scripts/build.mjs"], { stdio: "inherit" }).status !== 0) process.exit(1);
mkdirSync(DIR, { recursive: true });
if (!existsSync(`${KEYS}/private.jwk`)) {
  step(`making a dev signing key in ${KEYS}/ (git-ignored)`);
  const r = edgeflag("keys", "generate", "--out", KEYS, "--json");
  if (r.status !== 0) throw new Error(r.stderr);
}
const tokenFile = `${DIR}/dev-admin-token`;
if (!existsSync(tokenFile)) writeFileSync(tokenFile, randomBytes(24).toString("base64url") + "\n", { mode: 0o600 });
const token = readFileSync(tokenFile, "utf8").trim();
const privateJwk = JSON.stringify(JSON.parse(readFileSync(`${KEYS}/private.jwk`, "utf8")));
const jwks = JSON.stringify(JSON.parse(readFileSync(`${KEYS}/jwks.json`, "utf8")));
// dotenv: JSON goes in single quotes (a double-quoted value loses its escapes).
// The key set the dev root (scripts/lib/dev-root.ts, pinned by the example page) signs for the dev key.
const keySet = await devKeySet(JSON.parse(jwks));
// The demo's model calls go to a local mock LLM (scripts/lib/mock-llm.ts, OpenAI's wire format),
// so every arm of the router answers without a real provider key: its key secret and origin.
const MOCK_PORT = process.env.MOCK_LLM_PORT ?? "8790";
const upstreams = { OPENAI_API_KEY: ["https://api.openai.com"], ANTHROPIC_API_KEY: ["https://api.anthropic.com"], MOCK_LLM_KEY: [`http://127.0.0.1:${MOCK_PORT}`] };
writeFileSync(`${DIR}/dev.vars`, `ADMIN_TOKEN='${token}'\nSIGNING_KEY='${privateJwk}'\nPUBLIC_JWKS='${jwks}'\nKEY_SET='${keySet}'\nMOCK_LLM_KEY='sk-local-mock'\nROUTER_UPSTREAMS='${JSON.stringify(upstreams)}'\n`, { mode: 0o600 });

step(`seeding ${DEMO} into local KV as env ${ENV} (only if nothing else is published there)`);
step((await seedDemo({ env: ENV, config: DEMO })).message);

step("applying D1 migrations (worker/migrations) to the local database");
applyMigrations();

const port = process.env.PORT ?? "8787";
const url = `http://127.0.0.1:${port}`;
// `edgeflag results --local` reads where this Worker is, so PORT=8788 npm start is followed.
writeFileSync(`${DIR}/dev-url`, `${url}\n`);
step(`starting the Worker on ${url}`);
console.log(`  dashboard:    ${url}/   (sign in with the admin token in ${tokenFile})
  routes:       ${url}/v1
  example page: ${url}/examples/browser/
  curl -i ${url}/v1/configs/${ENV}
  curl -i ${url}/.well-known/edgeflag-keys.jws   (signed by the dev root, .edgeflag/dev-root/)
  curl -s ${url}/v1/configs/${ENV} | npx edgeflag verify - --keys ${url}/.well-known/jwks.json --env ${ENV}
  npx edgeflag results --env ${ENV} --flag chat-model --local
  admin token: ${tokenFile}`);
step(`starting the local mock LLM on http://127.0.0.1:${MOCK_PORT}/v1 (the demo's model calls; no real provider is called)`);
const mock = spawn(process.execPath, ["scripts/lib/mock-llm.ts", "--port", MOCK_PORT], { stdio: ["ignore", "ignore", "pipe"], detached: true });
mock.stderr.on("data", (d) => /EADDRINUSE/.test(String(d)) && console.warn(`  port ${MOCK_PORT} is taken: the demo's model calls go to whatever listens there (MOCK_LLM_PORT=… picks another)`));
process.on("exit", () => mock.exitCode === null && process.kill(-mock.pid, "SIGKILL"));
// Its own process group, so a Ctrl-C reaches this script first and the queue can drain.
const dev = spawn("wrangler", ["dev", "--local", "--ip", "127.0.0.1", "--port", port, "--test-scheduled", "--env-file", `${DIR}/dev.vars`, ...process.argv.slice(2)], {
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  detached: true,
});
// Local Queue messages live in wrangler's memory, so stopping at once would lose events answered
// 202 but not yet consumed (production Queues are durable). The consumer takes a batch at least
// every second (max_batch_timeout = 1); a first Ctrl-C waits DRAIN_MS for it, a second stops at once.
const DRAIN_MS = 5000;
let stoppingAt = 0;
const stop = (signal) => {
  if (dev.exitCode !== null) return;
  // npm forwards the terminal's SIGINT too: one Ctrl-C can arrive twice within a few ms.
  if (stoppingAt) return void (Date.now() - stoppingAt > 1000 && process.kill(-dev.pid, "SIGKILL"));
  stoppingAt = Date.now();
  step(`draining the local events queue for ${DRAIN_MS / 1000} s before stopping (Ctrl-C again to stop at once)`);
  setTimeout(() => process.kill(-dev.pid, signal), DRAIN_MS).unref();
};
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stop(signal));
dev.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));

// Demo traffic once the Worker answers (only into npm start's own demo env, only when it has none).
const up = async () => {
  for (let i = 0; i < 240 && dev.exitCode === null; i++) {
    if (await fetch(`${url}/v1`).then((r) => r.ok, () => false)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
};
if (await up()) {
  step("posting demo traffic (made-up events, labelled as demo data in the dashboard) when the demo env has none");
  await seedDemoTraffic({ url, env: ENV, token }).then((r) => step(r.message), (e) => step(`no demo traffic: ${e.message}`));
  step(`open ${url}/`);
}
