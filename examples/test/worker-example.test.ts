// examples/worker, run by `wrangler dev` (workerd) with its own wrangler.toml: a user's Worker
// built on createRouter. The demo config is published by the CLI to the local KV it reads (the
// same local state), and the official openai client calls it with the app's token.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, expect, test } from "vitest";
import { compileConfig, evaluate } from "../../sdk-js/src/index.ts";
import { edgeflag } from "../../cli/test/helpers.ts";
import { startDevServer, type DevServer } from "../../scripts/lib/dev-server.ts";
import { DEMO_CONFIG } from "./demo-server.ts";

const APP_TOKEN = "example-app-token";
let worker: DevServer;
let dir: string;
let client: OpenAI;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edgeflag-example-worker-"));
  expect((await edgeflag(["keys", "generate", "--out", join(dir, "keys")])).code).toBe(0);
  const published = await edgeflag(["publish", "examples/demo-config.json", "--env", "development", "--local", "--persist-to", join(dir, "state"), "--key", join(dir, "keys", "private.jwk")]);
  expect(published.code, published.stderr).toBe(0);
  const jwks = JSON.stringify(JSON.parse(await readFile(join(dir, "keys", "jwks.json"), "utf8")));
  await writeFile(join(dir, "dev.vars"), `EDGEFLAG_JWKS='${jwks}'\nAPP_TOKEN='${APP_TOKEN}'\n`);
  worker = await startDevServer({ persistTo: join(dir, "state"), envFile: join(dir, "dev.vars"), config: "examples/worker/wrangler.toml" });
  client = new OpenAI({ baseURL: `${worker.url}/v1`, apiKey: APP_TOKEN, maxRetries: 0 });
}, 120_000);
afterAll(async () => {
  await worker?.stop();
  await rm(dir, { recursive: true, force: true });
});

const ask = (user: string) => client.chat.completions.create({ model: "chat-model", user, messages: [{ role: "user", content: "Hi" }] }).withResponse();

test("each user gets the variant the signed config picks, as the core does; the fixed arm answers", async () => {
  const compiled = compileConfig(DEMO_CONFIG);
  const fixed = ["alice", "bob", "carol", "dave", "erin"].find((s) => evaluate(compiled, "chat-model", { subject: s }).variant === "fixed-answer")!;
  expect(fixed).toBe("carol");
  const { data, response } = await ask("carol");
  expect(response.headers.get("x-edgeflag-variant")).toBe("fixed-answer");
  expect(response.headers.get("x-edgeflag-config-version")).toBe("1");
  expect(data.choices[0]!.message.content).toBe("Thanks for asking! A person from our team will answer shortly.");
});

test("an arm whose key secret this Worker does not allow answers 403 before anything is sent, in OpenAI's shape, naming the variant", async () => {
  // The demo's model arms call npm start's local mock LLM with MOCK_LLM_KEY; this Worker's
  // ROUTER_UPSTREAMS lists only OPENAI_API_KEY and ANTHROPIC_API_KEY.
  const variant = evaluate(compileConfig(DEMO_CONFIG), "chat-model", { subject: "alice" }).variant;
  const error = await ask("alice").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
  const e = error as InstanceType<typeof OpenAI.PermissionDeniedError>;
  expect([e.status, e.code, e.message]).toEqual([403, "upstream_not_allowed", `403 variant "${variant}" of flag "chat-model" calls http://127.0.0.1:8790: secret MOCK_LLM_KEY may be sent to no upstream: ROUTER_UPSTREAMS (wrangler.toml) allows it no origin; nothing was sent`]);
});

test("without the app's token: 401 from the authorize hook, in OpenAI's shape", async () => {
  const stranger = new OpenAI({ baseURL: `${worker.url}/v1`, apiKey: "wrong", maxRetries: 0 });
  const error = await stranger.models.list().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
  expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe("invalid_api_key");
  const models = [];
  for await (const m of client.models.list()) models.push(m.id);
  expect(models).toEqual(["chat-model", "summary-model"]);
  expect(worker.output()).not.toMatch(/uncaught/i);
});
