// End to end on `wrangler dev`: edgeflag publish --local → GET /v1/configs/:env → edgeflag verify
// → edgeflag eval gives the same variant as the SDK's core; a rollback is served as a higher version.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compileConfig, evaluate } from "@edgeflag/sdk/core";
import { verifyConfig } from "@edgeflag/sdk/signing";
import { edgeflag } from "../../cli/test/helpers.ts";
import { startDevServer, type DevServer } from "../../scripts/lib/dev-server.ts";

const ENV = "e2e";
const demo = "examples/demo-config.json";
let dir = "";
let server: DevServer;
const local = () => ["--local", "--persist-to", join(dir, "state"), "--key", join(dir, "keys", "private.jwk")];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edgeflag-e2e-"));
  expect((await edgeflag(["keys", "generate", "--out", join(dir, "keys")])).code).toBe(0);
  const jwks = JSON.stringify(JSON.parse(await readFile(join(dir, "keys", "jwks.json"), "utf8")));
  const key = JSON.stringify(JSON.parse(await readFile(join(dir, "keys", "private.jwk"), "utf8")));
  await writeFile(join(dir, "dev.vars"), `ADMIN_TOKEN='e2e-token'\nSIGNING_KEY='${key}'\nPUBLIC_JWKS='${jwks}'\n`);
  expect((await edgeflag(["publish", demo, "--env", ENV, ...local(), "--reason", "e2e"])).code).toBe(0);
  server = await startDevServer({ persistTo: join(dir, "state"), envFile: join(dir, "dev.vars") });
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe("signed config on wrangler dev", () => {
  test("publish --local → GET → edgeflag verify → edgeflag eval agrees with the core", async () => {
    const res = await fetch(`${server.url}/v1/configs/${ENV}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/jose");
    expect(res.headers.get("etag")).toBe('"1"');
    const jws = await res.text();
    const verified = await edgeflag(["verify", "-", "--keys", `${server.url}/.well-known/jwks.json`, "--env", ENV, "--json"], { input: jws });
    expect(JSON.parse(verified.stdout)).toMatchObject({ valid: true, env: ENV, version: 1, flags: ["chat-model", "new-chat-ui", "summary-model"] });

    const jwks = await (await fetch(`${server.url}/.well-known/jwks.json`)).json();
    const { config } = await verifyConfig(jws, { keys: jwks, env: ENV });
    const compiled = compileConfig(config);
    for (const subject of ["user-1", "user-2", "user-3", "José", "🚀"]) {
      const cli = await edgeflag(["eval", demo, "--flag", "chat-model", "--subject", subject, "--json"]);
      expect(JSON.parse(cli.stdout).variant).toBe(evaluate(compiled, "chat-model", { subject }).variant);
    }
    const notModified = await fetch(`${server.url}/v1/configs/${ENV}`, { headers: { "if-none-match": '"1"' } });
    expect(notModified.status).toBe(304);
  });

  test("a rollback through wrangler is served as a new, higher version", async () => {
    expect((await edgeflag(["publish", "config-schema/vectors/valid/boolean-rollout.json", "--env", ENV, ...local()])).code).toBe(0);
    const started = performance.now();
    const r = await edgeflag(["rollback", "--env", ENV, "--to", "1", ...local(), "--reason", "e2e rollback", "--json"]);
    expect(JSON.parse(r.stdout)).toMatchObject({ version: 3, from: 1 });
    let served = "";
    while (performance.now() - started < 30_000) {
      const res = await fetch(`${server.url}/v1/configs/${ENV}`);
      served = res.headers.get("etag") ?? "";
      if (served === '"3"') break;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    expect(served).toBe('"3"');
    console.log(`rollback: command to new version served in ${Math.round(performance.now() - started)} ms`);
    const jwks = await (await fetch(`${server.url}/.well-known/jwks.json`)).json();
    const { config, version } = await verifyConfig(await (await fetch(`${server.url}/v1/configs/${ENV}`)).text(), { keys: jwks, env: ENV, minVersion: 2 });
    expect(version).toBe(3);
    expect(Object.keys(config.flags)).toEqual(["chat-model", "new-chat-ui", "summary-model"]);
  }, 60_000);

  test("publish, history and rollback through the admin API with --url and --token", async () => {
    const admin = ["--url", server.url, "--token", "e2e-token"];
    const published = await edgeflag(["publish", demo, "--env", "via-api", ...admin, "--reason", "api launch", "--json"]);
    expect(JSON.parse(published.stdout)).toMatchObject({ env: "via-api", version: 1 });
    expect((await edgeflag(["publish", "config-schema/vectors/valid/boolean-rollout.json", "--env", "via-api", ...admin])).code).toBe(0);
    const back = await edgeflag(["rollback", "--env", "via-api", "--to", "1", ...admin, "--json"]);
    expect(JSON.parse(back.stdout)).toMatchObject({ version: 3, from: 1 });
    const history = JSON.parse((await edgeflag(["history", "--env", "via-api", ...admin, "--json"])).stdout);
    expect(history.versions.map((v: { version: number; action: string; actor: string }) => [v.version, v.action, v.actor])).toEqual([
      [3, "rollback", "bootstrap"], [2, "publish", "bootstrap"], [1, "publish", "bootstrap"],
    ]);
    const denied = await edgeflag(["history", "--env", "via-api", "--url", server.url, "--token", "wrong"]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^edgeflag history: GET \/v1\/admin\/configs\/via-api\/history → 401 UNAUTHORIZED: /);
  }, 60_000);

  test("publish --dry-run --url diffs against the config the Worker serves, and writes nothing", async () => {
    const admin = ["--url", server.url, "--token", "e2e-token"];
    const dry = async (config: string) => JSON.parse((await edgeflag(["publish", config, "--env", "dry-api", ...admin, "--dry-run", "--json"])).stdout);
    expect(await dry(demo)).toEqual({ dryRun: true, env: "dry-api", version: 1, from: null, latestExpiresAt: null, added: ["chat-model", "new-chat-ui", "summary-model"], removed: [], changed: [], unchanged: [] });
    expect((await edgeflag(["publish", demo, "--env", "dry-api", ...admin])).code).toBe(0);
    expect(await dry(demo)).toEqual({ dryRun: true, env: "dry-api", version: 2, from: 1, latestExpiresAt: expect.stringMatching(/^20\d\d-/), added: [], removed: [], changed: [], unchanged: ["chat-model", "new-chat-ui", "summary-model"] });
    expect(await dry("config-schema/vectors/valid/boolean-rollout.json")).toMatchObject({ version: 2, from: 1, added: ["new-checkout"], removed: ["chat-model", "new-chat-ui", "summary-model"], changed: [], unchanged: [] });
    const text = await edgeflag(["publish", demo, "--env", "dry-api", ...admin, "--dry-run"]);
    expect(text.stdout).toBe(`would publish dry-api version 2 to ${server.url} (latest is 1):\n(no flag changes)\n`);
    expect(JSON.parse((await edgeflag(["history", "--env", "dry-api", ...admin, "--json"])).stdout).latest).toBe(1);
  }, 60_000);
});
