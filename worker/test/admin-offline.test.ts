// POST /v1/admin/offline/:env/:flag (role admin) and GET /v1/results/:env/:flag/offline (role
// read): offline experiment results stored in D1 beside the flag's online results; an admin token
// posts, a read token lists; hostile bodies get a 400 naming the field.
import { describe, expect, test } from "vitest";
import { ADMIN_TOKEN, admin, bearer, call, errorOf, makeToken } from "./helpers.ts";

/** GET /v1/results/<path>/offline, as the bootstrap unless `headers` say otherwise. */
const listed_ = (path: string, headers: Record<string, string> = {}, query = "") => call(`/v1/results/${path}/offline${query}`, { headers: { ...bearer(ADMIN_TOKEN), ...headers } });

const results = (over: Record<string, unknown> = {}) => ({
  format: "edgeflag-offline-results/1",
  flag: "chat-model",
  control: "small",
  variants: ["small", "large"],
  runs: 3,
  dataset: { file: "data.jsonl", records: 40, errors: [] },
  aggregates: { small: [{ evaluator: "exact-match", kind: "boolean", records: 40, value: 0.7 }], large: [{ evaluator: "exact-match", kind: "boolean", records: 40, value: 0.8 }] },
  gate: { baseline: "baseline.json", pass: true, checks: [] },
  ...over,
});

describe("offline runs", () => {
  test("posted runs are listed newest first with their results; a read token lists but cannot post", async () => {
    const first = await admin("/offline/off-env/chat-model", results());
    expect(first.status).toBe(201);
    const made = await first.json<{ id: number; createdAt: string }>();
    expect(made).toMatchObject({ env: "off-env", flag: "chat-model", createdBy: "bootstrap" });
    const second = await (await admin("/offline/off-env/chat-model", results({ runs: 5, gate: undefined }))).json<{ id: number }>();
    const reader = await makeToken("off-reader", "read");
    expect((await listed_("off-env/chat-model", bearer(reader))).status).toBe(200); // reading results takes role read
    const listed = await (await listed_("off-env/chat-model")).json<{ runs: Array<Record<string, unknown>> }>();
    expect(listed.runs.map((r) => [r.id, r.runs, r.gatePass, r.records, r.control])).toEqual([[second.id, 5, null, 40, "small"], [made.id, 3, true, 40, "small"]]);
    expect(listed.runs[1]!.results).toEqual(results());
    expect(listed.runs[1]!.variants).toEqual(["small", "large"]);
    const denied = await admin("/offline/off-env/chat-model", results(), bearer(reader));
    expect(denied.status).toBe(403);
    const limited = await (await listed_("off-env/chat-model", {}, "?limit=1")).json<{ runs: unknown[] }>();
    expect(limited.runs).toHaveLength(1);
    const other = await (await listed_("off-env/other-flag")).json<{ runs: unknown[] }>();
    expect(other.runs).toEqual([]);
  });

  test.each([
    ["/format", { format: "promptfoo" }],
    ["/flag", { flag: "another" }],
    ["/variants", { variants: [] }],
    ["/control", { control: "nobody" }],
    ["/dataset/records", { dataset: { records: -1 } }],
    ["/runs", { runs: 0 }],
    ["/gate/pass", { gate: { pass: "yes" } }],
  ])("400 naming %s", async (pointer, over) => {
    const res = await admin("/offline/off-env/chat-model", results(over));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).pointer).toBe(pointer);
  });

  test("bad path and query parameters, and a body that is not JSON", async () => {
    expect((await errorOf(await admin("/offline/bad.env/chat-model", results()))).code).toBe("INVALID_ENV");
    expect((await errorOf(await listed_("off-env/chat-model", {}, "?limit=1000"))).pointer).toBe("/limit");
    expect((await errorOf(await admin("/offline/off-env/chat-model", "{"))).code).toBe("BAD_JSON");
  });
});
