// Named admin tokens end to end on `wrangler dev`: the bootstrap ADMIN_TOKEN makes tokens with
// `edgeflag tokens create`, a publish with ana's token is recorded as ana (history shows a hostile
// reason escaped, in one row), a read token reads and cannot publish, D1 holds only hashes, a
// revoked token gets 401, and --local finds npm start's Worker from .edgeflag/dev-url. Cloudflare
// Access: a JWT verified against the team's JWKS (served here by a local "team domain") names the
// caller; a wrong audience, key or expiry is a 401.
import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { edgeflag } from "../../cli/test/helpers.ts";
import { startDevServer, type DevServer } from "../../scripts/lib/dev-server.ts";

const BOOTSTRAP = "e2e-bootstrap-token";
const demo = "examples/demo-config.json";
const FORGED = "\u001b]0;pwned\u0007\r\nv99 forged row";
const AUD = "e2e-access-aud";
let dir = "";
let server: DevServer;
let team: Server;
let teamUrl = "";
let accessKey: CryptoKey;
let otherKey: CryptoKey;
const api = (token: string) => ["--url", server.url, "--token", token];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edgeflag-tokens-e2e-"));
  expect((await edgeflag(["keys", "generate", "--out", join(dir, "keys")])).code).toBe(0);
  const key = JSON.stringify(JSON.parse(await readFile(join(dir, "keys", "private.jwk"), "utf8")));
  const jwks = JSON.stringify(JSON.parse(await readFile(join(dir, "keys", "jwks.json"), "utf8")));
  const pair = await generateKeyPair("RS256", { extractable: true });
  accessKey = pair.privateKey;
  ({ privateKey: otherKey } = await generateKeyPair("RS256"));
  const certs = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: "team-key", alg: "RS256", use: "sig" }] });
  team = createServer((req, res) => (req.url === "/cdn-cgi/access/certs" ? res.writeHead(200, { "content-type": "application/json" }).end(certs) : res.writeHead(404).end()));
  await new Promise<void>((ok) => team.listen(0, "127.0.0.1", ok));
  teamUrl = `http://127.0.0.1:${(team.address() as AddressInfo).port}`;
  const access = `ACCESS_TEAM_DOMAIN='${teamUrl}'\nACCESS_AUD='${AUD}'\n`;
  await writeFile(join(dir, "dev.vars"), `ADMIN_TOKEN='${BOOTSTRAP}'\nSIGNING_KEY='${key}'\nPUBLIC_JWKS='${jwks}'\n${access}`);
  server = await startDevServer({ persistTo: join(dir, "state"), envFile: join(dir, "dev.vars") });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  team?.close();
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

  test("Cloudflare Access: a JWT from the team's key with the app's audience names the caller; anything else is a 401", async () => {
    const jwt = (claims: Record<string, unknown>, options: { key?: CryptoKey; aud?: string; exp?: string; iss?: string } = {}) =>
      new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "team-key" }).setIssuer(options.iss ?? teamUrl).setAudience(options.aud ?? AUD).setIssuedAt().setExpirationTime(options.exp ?? "5m").sign(options.key ?? accessKey);
    const config = JSON.parse(await readFile(demo, "utf8"));
    const publish = (assertion: string) => fetch(`${server.url}/v1/admin/configs/tok-access`, { method: "POST", headers: { "Cf-Access-Jwt-Assertion": assertion, "content-type": "application/json" }, body: JSON.stringify({ config, actor: "mallory" }) });
    expect((await publish(await jwt({ email: "ana@example.com" }))).status).toBe(201);
    // What the dashboard asks on load: with no token, an Access identity signs the reader in.
    const me = await fetch(`${server.url}/v1/admin/me`, { headers: { "Cf-Access-Jwt-Assertion": await jwt({ email: "ana@example.com" }) } });
    expect(await me.json()).toEqual({ name: "ana@example.com", role: "admin" });
    expect((await publish(await jwt({ common_name: "deploy-bot.access" }))).status).toBe(201);
    const refused = [
      await jwt({ email: "eve@example.com" }, { aud: "another-app" }),
      await jwt({ email: "eve@example.com" }, { key: otherKey }),
      await jwt({ email: "eve@example.com" }, { exp: "-1m" }),
      await jwt({ email: "eve@example.com" }, { iss: "https://evil.cloudflareaccess.com" }),
      await jwt({ sub: "nobody" }),
      "not.a.jwt",
    ];
    for (const assertion of refused) {
      const res = await publish(assertion);
      expect([res.status, await res.json()], assertion).toEqual([401, { error: { code: "UNAUTHORIZED", message: "the Cloudflare Access assertion is not valid" } }]);
    }
    const history = JSON.parse((await edgeflag(["history", "--env", "tok-access", ...api(BOOTSTRAP), "--json"])).stdout) as { versions: Array<{ actor: string }> };
    expect(history.versions.map((v) => v.actor)).toEqual(["deploy-bot.access", "ana@example.com"]);
  }, 60_000);
});
