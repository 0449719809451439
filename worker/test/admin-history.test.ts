// History and audit: every change is a version with its record (actor, time, action, reason),
// listed newest first by number ("10" after "9"), across KV list pages.
import { env } from "cloudflare:workers";
import { describe, expect, test } from "vitest";
import { configKey } from "@edgeflag/config-schema/domain";
import { CLI_KID, SIGNING_KID, admin, bearer, makeToken, errorOf, publish, sign, withModel } from "./helpers.ts";

const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

describe("GET /v1/admin/configs/:env/history and /v1/admin/audit", () => {
  test("every change with actor, time, version, reason, newest first", async () => {
    const start = Date.now();
    const [ana, ci] = [bearer(await makeToken("hist-ana")), bearer(await makeToken("hist-ci"))];
    await admin("/configs/hist-env", { config: withModel("a"), reason: "launch" }, ana);
    await admin("/configs/hist-env", { jws: await sign("hist-env", 2), reason: "from CI" }, { ...ci, "X-Edgeflag-Actor": "ana" });
    await admin("/configs/hist-env/kill", { flag: "chat-model", variant: "fixed", reason: "outage" });
    await admin("/configs/hist-env/rollback", { to: 1, reason: "outage over", actor: "ci" }, ana);
    const res = await admin("/configs/hist-env/history");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    const history = await res.json<{ env: string; latest: number; versions: Array<{ at: string }> }>();
    expect(history).toEqual({
      env: "hist-env",
      latest: 4,
      versions: [
        { version: 4, at: ISO, actor: "hist-ana", action: "rollback", from: 1, reason: "outage over", kid: SIGNING_KID },
        { version: 3, at: ISO, actor: "bootstrap", action: "kill", flag: "chat-model", variant: "fixed", reason: "outage", kid: SIGNING_KID },
        { version: 2, at: ISO, actor: "hist-ci", action: "publish", reason: "from CI", kid: CLI_KID },
        { version: 1, at: ISO, actor: "hist-ana", action: "publish", reason: "launch", kid: SIGNING_KID },
      ],
    });
    const times = history.versions.map((v) => Date.parse(v.at));
    expect(times.every((t) => t >= start - 1000 && t <= Date.now())).toBe(true);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const audit = await admin("/audit?env=hist-env");
    expect(audit.status).toBe(200);
    expect(await audit.json()).toEqual({ env: "hist-env", entries: history.versions });
  });

  test("versions sort by number, not text, across list pages; a record-less version still shows", async () => {
    for (let i = 0; i < 11; i++) await publish("hist-many");
    // A version written by hand (no metadata) and more than one KV list page (1000 keys).
    await env.FLAGS.put(configKey("hist-many", 12), "x");
    await Promise.all(Array.from({ length: 1000 }, (_, i) => env.FLAGS.put(configKey("hist-many", 100 + i), "x", { metadata: { version: 100 + i, at: "", actor: "bulk", action: "publish" } })));
    const { latest, versions } = await (await admin("/configs/hist-many/history")).json<{ latest: number; versions: Array<{ version: number; actor: string }> }>();
    expect(latest).toBe(11);
    expect(versions).toHaveLength(1012);
    expect(versions.slice(0, 2).map((v) => v.version)).toEqual([1099, 1098]);
    expect(versions.slice(-13).map((v) => v.version)).toEqual([100, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(versions.find((v) => v.version === 12)).toEqual({ version: 12, at: "", actor: "unknown", action: "publish" });
  });

  test("404 ENV_NOT_FOUND for an env with no versions; 400 for a bad or missing env", async () => {
    const none = await admin("/configs/hist-none/history");
    expect(none.status).toBe(404);
    expect(await errorOf(none)).toEqual({ code: "ENV_NOT_FOUND", message: 'nothing was published for env "hist-none"' });
    expect((await admin("/audit?env=hist-none")).status).toBe(404);
    expect(await errorOf(await admin("/audit"))).toEqual({ code: "ENV_REQUIRED", message: "env is required", pointer: "/env" });
    expect(await errorOf(await admin("/audit?env=a:b"))).toEqual({ code: "INVALID_ENV", message: "env must be 1 to 64 of A-Z a-z 0-9 _ -", pointer: "/env" });
    expect((await errorOf(await admin("/configs/a.b/history"))).pointer).toBe("/env");
  });
});
