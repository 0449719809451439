// POST /v1/events inside workerd: content types, mixed batches, duplicates, limits, CORS, and the
// real Queue delivering to D1.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { insertEvents } from "../src/events/store.ts";
import { jsonArrayOf, messageOf } from "../src/events/message.ts";
import { call, callWith } from "./helpers.ts";
import { countStored, event, post, publishEventsConfig, waitStored } from "./events-helpers.ts";

const ALLOWED = "https://app.example.com";
const ids = (events: Record<string, unknown>[]) => events.map((e) => e.id as string);


// The exposures posted here name a real config version (event() assigns their variants from it).
beforeAll(publishEventsConfig);

describe("POST /v1/events accepts every shape and content type", () => {
  it("a JSON array as application/json: 202, every event stored once through the Queue", async () => {
    const events = (["exposure", "feedback", "execution", "outcome", "custom"] as const).map((t) => event(t));
    const res = await post(JSON.stringify(events));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 5, duplicates: 0, rejected: [] });
    expect(await waitStored(ids(events))).toBe(5);
    const row = await env.DB.prepare("SELECT * FROM events WHERE id = ?").bind(events[2]!.id).first<Record<string, unknown>>();
    expect(row).toMatchObject({ type: "execution", subject: events[2]!.subject, flag: "chat-model", variant: "gpt-4", model: "gpt-4o", latency_ms: 812, ttft_ms: 95, input_tokens: 300, output_tokens: 120, cost: 0.0021 });
    const feedback = await env.DB.prepare("SELECT rating, comment FROM events WHERE id = ?").bind(events[1]!.id).first();
    expect(feedback).toEqual({ rating: 1, comment: "great" });
  });

  it("text/plain, as sendBeacon sends it", async () => {
    const events = [event("feedback", { rating: "down" }), event("exposure")];
    const res = await post(JSON.stringify(events), "text/plain;charset=UTF-8");
    expect(res.status).toBe(202);
    expect(((await res.json()) as { accepted: number }).accepted).toBe(2);
    expect(await waitStored(ids(events))).toBe(2);
  });

  it("application/x-ndjson, one event per line; NDJSON sent as text/plain too", async () => {
    const a = [event("exposure"), event("outcome", { success: false })];
    const b = [event("custom", { name: "regenerated" }), event("custom", { name: "follow-up", value: 2 })];
    const r1 = await post(a.map((e) => JSON.stringify(e)).join("\n") + "\n", "application/x-ndjson");
    const r2 = await post(b.map((e) => JSON.stringify(e)).join("\r\n"), "text/plain");
    expect([r1.status, r2.status]).toEqual([202, 202]);
    expect(((await r1.json()) as { accepted: number }).accepted).toBe(2);
    expect(((await r2.json()) as { accepted: number }).accepted).toBe(2);
    expect(await waitStored(ids([...a, ...b]))).toBe(4);
  });

  it("{events: [...]} and a single event object", async () => {
    const wrapped = [event("exposure"), event("exposure")];
    const single = event("execution", { error: "upstream 529" });
    expect(await (await post(JSON.stringify({ events: wrapped }))).json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    expect(await (await post(JSON.stringify(single))).json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(await waitStored(ids([...wrapped, single]))).toBe(3);
  });

  it("an empty batch is a 202 with nothing accepted", async () => {
    expect(await (await post("[]")).json()).toEqual({ accepted: 0, duplicates: 0, rejected: [] });
  });
});

describe("a mixed batch keeps its valid events and names each refused field", () => {
  it("wrong types, unknown types, missing subject, unknown fields, bad ids, both rating and score", async () => {
    const good = [event("exposure"), event("feedback"), event("execution")];
    const batch = [
      good[0],
      event("execution", { latencyMs: "812" }),
      event("purchase"),
      (() => { const e = event("feedback"); delete e.subject; return e; })(),
      good[1],
      event("outcome", { sucess: true, success: true }),
      event("custom", { id: "not-a-uuid" }),
      event("feedback", { score: 4 }),
      "just a string",
      good[2],
      event("exposure", { version: 0 }),
    ];
    const res = await post(JSON.stringify(batch));
    expect(res.status).toBe(202);
    const body = await res.json() as { accepted: number; rejected: { index: number; code: string; pointer: string; message: string }[] };
    expect(body.accepted).toBe(3);
    expect(body.rejected.map(({ index, code, pointer }) => ({ index, code, pointer }))).toEqual([
      { index: 1, code: "INVALID_FIELD", pointer: "/latencyMs" },
      { index: 2, code: "UNKNOWN_TYPE", pointer: "/type" },
      { index: 3, code: "MISSING_FIELD", pointer: "/subject" },
      { index: 5, code: "UNKNOWN_FIELD", pointer: "/sucess" },
      { index: 6, code: "INVALID_FIELD", pointer: "/id" },
      { index: 7, code: "INVALID_FIELD", pointer: "" },
      { index: 8, code: "NOT_AN_OBJECT", pointer: "" },
      { index: 10, code: "INVALID_FIELD", pointer: "/version" },
    ]);
    expect(body.rejected[0]!.message).toBe("/latencyMs: must be of type number (got string)");
    expect(body.rejected[1]!.message).toBe('/type: must be one of ["exposure","feedback","execution","outcome","custom"]');
    expect(body.rejected[2]!.message).toBe('/subject: missing required field "subject"');
    expect(body.rejected[3]!.message).toBe("/sucess: unknown field (not in the v1 schema)");
    expect(body.rejected[5]!.message).toBe('/: needs exactly one of "rating" ("up" or "down") and "score"');
    expect(body.rejected[7]!.message).toBe("/version: must be at least 1 (got 0)");
    expect(await waitStored(ids(good))).toBe(3);
    expect(await countStored(batch.filter((e): e is Record<string, unknown> => typeof e === "object").map((e) => e.id as string))).toBe(3);
  });

  it("clock skew: a minute or an hour off is fine; two days ahead or forty days old is refused at /ts", async () => {
    const now = Date.now();
    const batch = [event("exposure", { ts: now - 3_600_000 }), event("exposure", { ts: now + 60_000 }), event("exposure", { ts: now + 2 * 86_400_000 }), event("exposure", { ts: now - 40 * 86_400_000 })];
    const body = await (await post(JSON.stringify(batch))).json() as { accepted: number; rejected: { index: number; code: string; pointer: string; message: string }[] };
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r) => [r.index, r.code, r.pointer])).toEqual([[2, "TS_OUT_OF_RANGE", "/ts"], [3, "TS_OUT_OF_RANGE", "/ts"]]);
    expect(body.rejected[0]!.message).toMatch(/^\/ts: ts \S+ is more than 24 h ahead of the server's clock/);
    expect(body.rejected[1]!.message).toMatch(/^\/ts: ts \S+ is older than 30 days/);
  });

  it("odd events are refused on their own, never a 500: too deep, too large in UTF-8, a ts past JavaScript's dates, a lone surrogate key", async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    const good = event("exposure");
    const batch = [
      event("execution", { metadata: { x: deep } }),
      event("execution", { metadata: { text: "漢".repeat(6000) } }), // 6,000 characters, 18,000 bytes
      event("exposure", { ts: 9_000_000_000_000_000 }),
      JSON.parse('{"id":"6f1c0c7e-3a0e-4d7b-9b7f-0a6c6d0e0009","type":"custom","env":"e","ts":1,"subject":"s","name":"n","\\ud800":1}'.replace("\\\\", "\\")),
      good,
    ];
    const res = await post(JSON.stringify(batch));
    expect(res.status).toBe(202);
    const body = (await res.json()) as { accepted: number; rejected: { index: number; code: string; pointer: string; message: string }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => [r.index, r.code])).toEqual([[0, "EVENT_TOO_DEEP"], [1, "EVENT_TOO_LARGE"], [2, "INVALID_FIELD"], [3, "INVALID_FIELD"]]);
    expect(body.rejected[1]!.message).toMatch(/^an event must be at most 16384 bytes as UTF-8 JSON \(got 18\d{3}\)$/);
    expect(body.rejected[2]!.pointer).toBe("/ts");
    expect(await waitStored([good.id as string])).toBe(1);
  });

  it("a bad NDJSON line is refused on its own; the lines around it are kept", async () => {
    const a = event("exposure"), b = event("exposure");
    const res = await post(`${JSON.stringify(a)}\n{"id": oops\n${JSON.stringify(b)}\n`, "application/x-ndjson");
    const body = await res.json() as { accepted: number; rejected: { index: number; code: string }[] };
    expect(res.status).toBe(202);
    expect(body.accepted).toBe(2);
    expect(body.rejected).toMatchObject([{ index: 1, code: "BAD_JSON" }]);
    expect(await waitStored([a.id as string, b.id as string])).toBe(2);
  });
});

describe("each event is counted once", () => {
  it("a repeated id within a batch is a duplicate", async () => {
    const e = event("feedback");
    expect(await (await post(JSON.stringify([e, e, { ...e, id: (e.id as string).toUpperCase() }]))).json()).toEqual({ accepted: 1, duplicates: 2, rejected: [] });
    expect(await waitStored([e.id as string])).toBe(1);
  });

  it("a batch resent after it was stored (?resent=1) answers duplicates and stores nothing twice", async () => {
    const events = [event("exposure"), event("execution")];
    await post(JSON.stringify(events));
    expect(await waitStored(ids(events))).toBe(2);
    const third = event("outcome");
    const again = await call("/v1/events?resent=1", { method: "POST", body: JSON.stringify([...events, third]), headers: { "Content-Type": "text/plain" } });
    expect(await again.json()).toEqual({ accepted: 1, duplicates: 2, rejected: [] });
    expect(await waitStored([third.id as string])).toBe(1);
    expect(await countStored(ids(events))).toBe(2);
  });

  it("a batch sent again without the mark is taken, and still stored once", async () => {
    const events = [event("feedback"), event("custom")];
    await post(JSON.stringify(events));
    expect(await waitStored(ids(events))).toBe(2);
    expect(await (await post(JSON.stringify(events))).json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    await new Promise((r) => setTimeout(r, 1500));
    const rows = await env.DB.prepare(`SELECT COUNT(*) AS n FROM events WHERE id IN (?, ?)`).bind(...ids(events)).first<{ n: number }>();
    expect(rows?.n).toBe(2);
  });
});

describe("bad bodies get a clear 4xx, never a 500", () => {
  it.each([
    ["not JSON at all", "{oops", "application/json", 400, "BAD_JSON"],
    ["an empty body", "  \n ", "text/plain", 400, "EMPTY_BODY"],
    ["events that are not an array", '{"events": {"id": 1}}', "application/json", 400, "BODY_INVALID"],
    ["a form post", "a=1", "application/x-www-form-urlencoded", 415, "UNSUPPORTED_MEDIA_TYPE"],
    ["a body over 256 KiB", JSON.stringify([{ comment: "x".repeat(300_000) }]), "application/json", 413, "BODY_TOO_LARGE"],
    ["more than 500 events", JSON.stringify(Array.from({ length: 501 }, () => ({}))), "application/json", 413, "TOO_MANY_EVENTS"],
  ])("%s", async (_name, body, type, status, code) => {
    const res = await post(body, type);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it("the Queue refusing: 503 with Retry-After, so the SDK sends the batch again", async () => {
    const refusing = { ...env, EVENTS: { send: () => Promise.reject(new Error("queue overloaded")), sendBatch: () => Promise.reject(new Error("queue overloaded")) } } as unknown as Env;
    const res = await callWith(refusing, "/v1/events", { method: "POST", body: JSON.stringify([event("exposure")]), headers: { "Content-Type": "application/json" } });
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("30");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("QUEUE_UNAVAILABLE");
  });
});

describe("CORS from the EVENTS_ALLOWED_ORIGINS allowlist", () => {
  it("an allowed origin is echoed, on success and on errors", async () => {
    const ok = await post(JSON.stringify([event("exposure")]), "text/plain", { Origin: ALLOWED });
    expect(ok.status).toBe(202);
    expect(ok.headers.get("Access-Control-Allow-Origin")).toBe(ALLOWED);
    expect(ok.headers.get("Vary")).toBe("Origin");
    // A browser's fetch may read Retry-After (a 503) only when it is exposed.
    expect(ok.headers.get("Access-Control-Expose-Headers")).toBe("Retry-After");
    const bad = await post("{oops", "application/json", { Origin: ALLOWED });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("Access-Control-Allow-Origin")).toBe(ALLOWED);
  });

  it("another origin is refused with 403 and nothing is stored", async () => {
    const e = event("exposure");
    const res = await post(JSON.stringify([e]), "text/plain", { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("ORIGIN_NOT_ALLOWED");
    await new Promise((r) => setTimeout(r, 1500));
    expect(await countStored([e.id as string])).toBe(0);
  });

  it("preflight: 204 with the methods and headers for an allowed origin, 403 otherwise", async () => {
    const pre = (origin: string) => callWith(env as unknown as Env, "/v1/events", { method: "OPTIONS", headers: { Origin: origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" } });
    const ok = await pre("https://chat.example.com");
    expect(ok.status).toBe(204);
    expect(ok.headers.get("Access-Control-Allow-Origin")).toBe("https://chat.example.com");
    expect(ok.headers.get("Access-Control-Allow-Methods")).toBe("POST, OPTIONS");
    expect(ok.headers.get("Access-Control-Allow-Headers")).toBe("Content-Type");
    expect((await pre("https://evil.example")).status).toBe(403);
  });

  it("a server (no Origin header) may always send", async () => {
    expect((await post(JSON.stringify([event("custom")]))).status).toBe(202);
  });

  it("* allows any origin", async () => {
    const open = { ...env, EVENTS_ALLOWED_ORIGINS: "*" } as unknown as Env;
    const res = await callWith(open, "/v1/events", { method: "POST", body: JSON.stringify([event("custom")]), headers: { "Content-Type": "text/plain", Origin: "https://anyone.example" } });
    expect(res.status).toBe(202);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });
});

it("one statement stores a whole message: every column from the JSON, nulls where a field is absent", async () => {
  // Strings with newlines and quotes survive the NDJSON → JSON array step of the consumer.
  const tricky = event("feedback", { comment: 'line one\nline "two"\u2028' });
  expect(JSON.parse(jsonArrayOf(messageOf([tricky, tricky], 1)))).toEqual([tricky, tricky]);
  const e = event("execution", { metadata: { temperature: 0.2 }, variant: null });
  const x = event("exposure", { attributes: { plan: "pro" }, kid: "signing-key-1" });
  await insertEvents(env.DB, [{ jsonArray: JSON.stringify([e]), receivedAt: 42 }, { jsonArray: JSON.stringify([x]), receivedAt: 43 }]).run();
  const row = await env.DB.prepare("SELECT * FROM events WHERE id = ?").bind(e.id).first();
  expect(row).toEqual({
    id: e.id, type: "execution", env: "events-test", subject: e.subject, ts: e.ts, received_at: 42, flag: "chat-model", allocation: null,
    variant: null, version: null, assignment_id: e.assignmentId, rating: null, score: null, reason: null, comment: null, model: "gpt-4o",
    latency_ms: 812, ttft_ms: 95, input_tokens: 300, output_tokens: 120, cost: 0.0021, error: null, success: null, name: null, value: null,
    data: '{"temperature":0.2}', kid: null,
    provider: null, served_variant: null, cached_input_tokens: null, cache_write_tokens: null, reasoning_tokens: null, finish_reason: null, usage_source: null,
    truncated: null, fallback: null, shadow: null, stream: null, attempts: null,
  });
  expect(await env.DB.prepare("SELECT data, version, kid, received_at FROM events WHERE id = ?").bind(x.id).first()).toEqual({ data: '{"plan":"pro"}', version: 1, kid: "signing-key-1", received_at: 43 });
});
