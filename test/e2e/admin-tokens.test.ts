// Named admin tokens end to end on `wrangler dev`: the bootstrap ADMIN_TOKEN makes tokens with
// `edgeflag tokens create`, a publish with ana's token is recorded as ana (history shows a hostile
// reason escaped, in one row), a read token reads and cannot publish, D1 holds only hashes, a
// revoked token gets 401, and --local finds npm start's Worker from .edgeflag/dev-url.
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { edgeflag } from "../../cli/test/helpers.ts";
import { startDevServer, type DevServer } from "../../scripts/lib/dev-server.ts";

const BOOTSTRAP = "e2e-bootstrap-token";
const demo = "examples/demo-config.json";
const FORGED = "\u001b]0;pwned\u0007\r\nv99 forged row";
let dir = "";
let server: DevServer;
const api = (token: string) => ["--url", server.url, "--token", token];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edgeflag-tokens-e2e-"));
  expect((await edgeflag(["keys", "generate", "--out", join(dir, "keys")])).code).toBe(0);
  const key = JSON.stringify(JSON.parse(await readFile(join(dir, "keys", "private.jwk"), "utf8")));
  const jwks = JSON.stringify(JSON.parse(await readFile(join(dir, "keys", "jwks.json"), "utf8")));
  await writeFile(join(dir, "dev.vars"), `ADMIN_TOKEN='${BOOTSTRAP}'\nSIGNING_KEY='${key}'\nPUBLIC_JWKS='${jwks}'\n`);
  server = await startDevServer({ persistTo: join(dir, "state"), envFile: join(dir, "dev.vars") });
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe("edgeflag tokens against wrangler dev", () => {
  test("ana's token is the actor; a read token reads but cannot publish; revoked → 401; D1 holds hashes only", async () => {
    const made = await edgeflag(["tokens", "create", "--name", "ana", ...api(BOOTSTRAP), "--json"]);
    expect(made.code).toBe(0);
    const ana = JSON.parse(made.stdout) as { token: string; name: string; role: string; createdBy: string };
    expect(ana).toMatchObject({ name: "ana", role: "admin", createdBy: "bootstrap" });
    const text = await edgeflag(["tokens", "create", "--name", "rita", "--role", "read", ...api(ana.token)]);
    expect(text.stderr).toBe('made token "rita" (role read); it is shown once, here:\n');
    const rita = text.stdout.trim();
    expect(rita).toMatch(/^eft1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/);

    expect((await edgeflag(["publish", demo, "--env", "tok-e2e", ...api(ana.token), "--reason", FORGED])).code).toBe(0);
    const history = await edgeflag(["history", "--env", "tok-e2e", ...api(rita)]);
    expect(history.code).toBe(0);
    const rows = history.stdout.trimEnd().split("\n");
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(/^\*1 +20\d\d-\S+ +ana +publish +\\u001b\]0;pwned\\u0007\\r\\nv99 forged row$/);

    const refused = await edgeflag(["publish", demo, "--env", "tok-e2e", ...api(rita)]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^edgeflag publish: POST \/v1\/admin\/configs\/tok-e2e → 403 FORBIDDEN: the token "rita" may only read/);

    const listed = await edgeflag(["tokens", "list", ...api(BOOTSTRAP)]);
    const cells = listed.stdout.trimEnd().split("\n").map((line) => line.split(/ {2,}/));
    expect(cells.map((c) => [c[0], c[1], c[3], c[4]])).toEqual([["name", "role", "by", "status"], ["ana", "admin", "bootstrap", "live"], ["rita", "read", "ana", "live"]]);
    const d1 = spawnSync("node_modules/.bin/wrangler", ["d1", "execute", "DB", "--local", "--persist-to", join(dir, "state"), "--command", "SELECT * FROM admin_tokens", "--json"], { encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" } });
    expect(d1.status).toBe(0);
    expect(d1.stdout).toContain('"name": "ana"');
    for (const token of [ana.token, rita]) expect(d1.stdout).not.toContain(token.split(".")[2]);

    const revoked = await edgeflag(["tokens", "revoke", "--name", "ana", ...api(BOOTSTRAP)]);
    expect(revoked.stdout).toMatch(/^revoked token "ana" at 20\d\d-/);
    const after = await edgeflag(["history", "--env", "tok-e2e", ...api(ana.token)]);
    expect(after.code).toBe(1);
    expect(after.stderr).toBe("edgeflag history: GET /v1/admin/configs/tok-e2e/history → 401 UNAUTHORIZED: the admin token is wrong\n");
  }, 120_000);

  test("--local reads npm start's URL and bootstrap token from .edgeflag/", async () => {
    const project = join(dir, "project");
    await mkdir(join(project, ".edgeflag"), { recursive: true });
    await writeFile(join(project, ".edgeflag", "dev-url"), `${server.url}\n`);
    await writeFile(join(project, ".edgeflag", "dev-admin-token"), `${BOOTSTRAP}\n`);
    const made = await edgeflag(["tokens", "create", "--name", "local-bot", "--role", "read", "--local", "--json"], { cwd: project });
    expect(JSON.parse(made.stdout)).toMatchObject({ name: "local-bot", role: "read", createdBy: "bootstrap" });
    const { tokens } = JSON.parse((await edgeflag(["tokens", "list", "--local", "--json"], { cwd: project })).stdout) as { tokens: Array<{ name: string }> };
    expect(tokens.map((t) => t.name)).toContain("local-bot");
    const gone = await edgeflag(["tokens", "revoke", "--name", "local-bot", "--local", "--json"], { cwd: project });
    expect(JSON.parse(gone.stdout)).toMatchObject({ name: "local-bot", revokedBy: "bootstrap" });
    const none = await edgeflag(["tokens", "list"], { cwd: project });
    expect([none.code, none.stderr.split("\n")[0]]).toEqual([1, "edgeflag tokens: tokens live in the Worker: give --url and --token, or --local for npm start's Worker"]);
  }, 60_000);
});
