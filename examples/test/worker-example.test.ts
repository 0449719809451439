// examples/worker, run by `wrangler dev` (workerd) with its own wrangler.toml, its base URL set to
// a real local server that serves the signed demo config; requests go through HTTP.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { compileConfig, evaluate } from "../../sdk-js/src/index.ts";
import { until, type FlagServer } from "../../sdk-js/test/client/flag-server.ts";
import { startDevServer, type DevServer } from "../../scripts/lib/dev-server.ts";
import { DEMO_CONFIG, startDemoServer } from "./demo-server.ts";

let flags: FlagServer;
let worker: DevServer;
let dir: string;

beforeAll(async () => {
  flags = await startDemoServer();
  dir = await mkdtemp(join(tmpdir(), "edgeflag-example-worker-"));
  await writeFile(join(dir, "dev.vars"), `EDGEFLAG_BASE_URL=${flags.url}\nEDGEFLAG_ENV=development\n`);
  worker = await startDevServer({ persistTo: join(dir, "state"), envFile: join(dir, "dev.vars"), config: "examples/worker/wrangler.toml" });
});
afterAll(async () => {
  await worker?.stop();
  await flags?.stop();
  await rm(dir, { recursive: true, force: true });
});

const chat = async (subject?: string) => {
  const res = await fetch(`${worker.url}/chat`, { headers: subject ? { "x-user-id": subject } : {} });
  return { status: res.status, body: await res.json() };
};

test("each user gets the model the signed config picks, as the core does", async () => {
  const compiled = compileConfig(DEMO_CONFIG);
  for (const subject of ["alice", "bob", "carol", "dave", "alice"]) {
    const core = evaluate(compiled, "chat-model", { subject }, null) as { variant: string; value: { model?: string } };
    expect(await chat(subject)).toEqual({ status: 200, body: { variant: core.variant, model: core.value.model ?? null } });
  }
  expect(flags.configRequests).toHaveLength(1); // one verified config per isolate, not one per request
});

test("the exposures leave after the responses, through ctx.waitUntil, once per user", async () => {
  await until(() => flags.events.length >= 4, 1500); // well before the 5 s flush timer
  await new Promise((r) => setTimeout(r, 200)); // nothing more is coming
  expect(flags.events.map((e) => [e.type, e.subject, e.version])).toEqual([
    ["exposure", "alice", 1], ["exposure", "bob", 1], ["exposure", "carol", 1], ["exposure", "dave", 1],
  ]);
  expect(worker.output()).not.toMatch(/error|uncaught/i);
});

test("without x-user-id: 400", async () => {
  expect(await chat()).toEqual({ status: 400, body: { error: "send the user's id in x-user-id" } });
});
