// The built-in model router inside workerd, with the real KV, D1 and Queue: the assignment
// agreeing with the SDK, the edgeflag headers, GET /v1/models, one exposure and one execution per
// call in D1, shadow calls, fallback and the call-time upstream check against the Node mock LLM,
// and the 4xx of client mistakes in OpenAI's shape. Keys and rate limits: router-keys.test.ts.
// The e2e test (test/e2e/router.test.ts) drives it with the official openai client.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, test } from "vitest";
import { evaluate } from "@edgeflag/sdk/core";
import type { FlagConfig } from "@edgeflag/config-schema";
import { ADMIN_TOKEN, call, callWith, makeRouterKey, publish } from "./helpers.ts";
import { ask, chatWith, compiled, errorOf, ROUTED, rowsOf } from "./router-helpers.ts";

const E = "router-env";
let key = "";
let version = 0;
const chat = (body: unknown, headers: Record<string, string> = {}) => chatWith(key, body, headers);

beforeAll(async () => {
  version = await publish(E, ROUTED);
  key = await makeRouterKey("router-app", E);
});

describe("routing", () => {
  test("the answer, the headers, and the variant the SDK's evaluation gives the subject, on every call", async () => {
    for (const user of ["ana", "bo", "chen", "José 🚀"]) {
      const expected = evaluate(compiled, "chat-model", { subject: user }).variant!;
      for (let i = 0; i < 3; i++) {
        const res = await chat(ask(user));
        expect(res.status).toBe(200);
        expect(res.headers.get("x-edgeflag-variant")).toBe(expected);
        expect(res.headers.get("x-edgeflag-config-version")).toBe(String(version));
        expect(res.headers.get("x-edgeflag-assignment-id")).toMatch(/^[0-9a-f-]{36}$/);
        expect(res.headers.get("x-edgeflag-served-variant")).toBeNull();
        const body = await res.json<{ object: string; choices: Array<{ message: { content: string }; finish_reason: string }> }>();
        expect(body.object).toBe("chat.completion");
        expect(body.choices[0]!.message.content).toBe(expected === "answer-42" ? "42" : "43");
      }
    }
  });

  test("the subject may come from x-edgeflag-subject and the flag from x-edgeflag-flag; the same subject keeps its assignment id", async () => {
    const a = await chat({ model: "ignored", messages: [{ role: "user", content: "hi" }] }, { "x-edgeflag-subject": "dana", "x-edgeflag-flag": "chat-model" });
    const b = await chat(ask("dana"));
    expect(a.status).toBe(200);
    expect(a.headers.get("x-edgeflag-variant")).toBe(evaluate(compiled, "chat-model", { subject: "dana" }).variant);
    expect(a.headers.get("x-edgeflag-assignment-id")).toBe(b.headers.get("x-edgeflag-assignment-id"));
  });

  test("streaming: an SSE answer ending with [DONE], with the headers", async () => {
    const res = await chat(ask("ana", { stream: true }));
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect(res.headers.get("x-edgeflag-variant")).toBe(evaluate(compiled, "chat-model", { subject: "ana" }).variant);
    expect((await res.text()).trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  test("GET /v1/models lists the flags with a model-call variant, in OpenAI's list shape", async () => {
    const res = await call("/v1/models", { headers: { Authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    const list = await res.json<{ object: string; data: Array<{ id: string; object: string; created: number; owned_by: string }> }>();
    expect(list.object).toBe("list");
    expect(list.data.map(({ id, object, owned_by }) => ({ id, object, owned_by }))).toEqual([
      { id: "chat-model", object: "model", owned_by: "edgeflag" },
      { id: "shadowed-model", object: "model", owned_by: "edgeflag" },
    ]);
    expect(Number.isInteger(list.data[0]!.created) && list.data[0]!.created > 1_700_000_000).toBe(true);
  });
});

describe("records in D1 (through the Queue and the real consumer)", () => {
  test("one exposure per subject however many calls, one execution per call, in the assigned arm, with the estimated usage of a fixed answer", async () => {
    const body = ask("records-subject");
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const res = await chat(body);
      await res.text();
      ids.add(res.headers.get("x-edgeflag-assignment-id")!);
    }
    expect(ids.size).toBe(1);
    const [assignmentId] = [...ids];
    const rows = await rowsOf(assignmentId!, 4);
    const variant = evaluate(compiled, "chat-model", { subject: "records-subject" }).variant;
    expect(rows.filter((r) => r.type === "exposure").map((r) => [r.subject, r.variant])).toEqual([["records-subject", variant]]);
    const executions = rows.filter((r) => r.type === "execution");
    expect(executions).toHaveLength(3);
    // The fixed provider estimates one token per 4 characters, rounded up: "What is the answer?" is 19, "42" 2.
    for (const e of executions) {
      expect(e).toMatchObject({ subject: "records-subject", variant, served_variant: variant, fallback: 0, shadow: null, stream: 0, provider: "fixed", model: null, input_tokens: 5, output_tokens: 1, cost: 0, error: null, usage_source: "estimated", finish_reason: "stop", truncated: 0 });
      expect(JSON.parse(e.attempts!)).toMatchObject([{ variant, provider: "fixed", status: 200, inputTokens: 5, outputTokens: 1, usageSource: "estimated" }]);
    }
  });

  test("a shadow call runs after the answer: its answer is discarded, its record is kept under the shadow variant", async () => {
    const res = await chat(ask("shadow-subject", { model: "shadowed-model" }));
    expect(res.headers.get("x-edgeflag-variant")).toBe("main");
    expect((await res.json<{ choices: Array<{ message: { content: string } }> }>()).choices[0]!.message.content).toBe("the main answer");
    const rows = await rowsOf(res.headers.get("x-edgeflag-assignment-id")!, 3);
    expect(rows.map((r) => [r.type, r.variant, r.output_tokens, r.shadow])).toEqual([
      ["execution", "main", 4, null], // "the main answer": 15 characters
      ["execution", "shadow-7", 1, 1],
      ["exposure", "main", null, null],
    ]);
  });
});

describe("upstreams (the Node mock LLM)", () => {
  const mock = inject("mockLlmUrl");
  const local = mock.replace("127.0.0.1", "localhost");
  const SECRET = "sk-workerd-test-secret";
  const config = (baseUrl: string): FlagConfig => ({
    flags: {
      "mock-model": {
        enabled: true,
        variants: {
          primary: { value: { provider: "openai", model: "status:500", baseUrl: `${baseUrl}/v1`, apiKeySecret: "OPENAI_API_KEY", fallback: "backup" } },
          backup: { value: { provider: "fixed", answer: "the backup answers" } },
        },
        defaultVariant: "primary",
        allocations: [{ key: "all", splits: [{ variant: "primary", weight: 1 }], log: true }],
      },
    },
  });
  const withUpstreams = (origins: string[]) => ({ ...env, ROUTER_UPSTREAMS: JSON.stringify({ OPENAI_API_KEY: origins }), OPENAI_API_KEY: SECRET }) as unknown as Env;
  const send = (e: Env, k: string) => callWith(e, "/v1/chat/completions", { method: "POST", headers: { Authorization: `Bearer ${k}` }, body: JSON.stringify(ask("mock-user", { model: "mock-model" })) });

  test("an upstream 500 before the first byte: the fallback answers, the headers say so, the record keeps both attempts", async () => {
    const allowed = withUpstreams([mock]);
    const published = await callWith(allowed, "/v1/admin/configs/router-mock", { method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify({ config: config(mock) }) });
    expect(published.status).toBe(201);
    const k = await makeRouterKey("router-mock-app", "router-mock");
    const res = await send(allowed, k);
    expect(res.status).toBe(200);
    expect([res.headers.get("x-edgeflag-variant"), res.headers.get("x-edgeflag-served-variant")]).toEqual(["primary", "backup"]);
    const text = await res.text();
    expect(JSON.parse(text).choices[0].message.content).toBe("the backup answers");
    expect(text).not.toContain(SECRET);
    expect([...res.headers].some(([name, value]) => value.includes(SECRET) || name.startsWith("x-upstream"))).toBe(false);
    const rows = await rowsOf(res.headers.get("x-edgeflag-assignment-id")!, 2);
    expect(rows.map((r) => [r.type, r.variant, r.served_variant, r.fallback])).toEqual([["execution", "primary", "backup", 1], ["exposure", "primary", null, null]]);
    expect(JSON.parse(rows[0]!.attempts!).map((a: { variant: string; status: number; error?: string }) => [a.variant, a.status, typeof a.error])).toEqual([["primary", 500, "string"], ["backup", 200, "undefined"]]);
  });

  test("a shadow whose key may no longer go where it points is not sent, and the answer is unaffected", async () => {
    const shadowed: FlagConfig = {
      flags: {
        "mock-model": {
          enabled: true,
          variants: { main: { value: { provider: "fixed", answer: "main" } }, copy: { value: { provider: "openai", model: "normal", baseUrl: `${local}/v1`, apiKeySecret: "OPENAI_API_KEY" } } },
          defaultVariant: "main",
          allocations: [{ key: "all", splits: [{ variant: "main", weight: 1 }], log: true, shadow: { variant: "copy" } }],
        },
      },
    };
    const published = await callWith(withUpstreams([mock, local]), "/v1/admin/configs/router-shadow-narrowed", { method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify({ config: shadowed }) });
    expect(published.status).toBe(201);
    const res = await send(withUpstreams([mock]), await makeRouterKey("router-shadow-narrowed-app", "router-shadow-narrowed"));
    expect(res.status).toBe(200);
    expect((await res.json<{ choices: Array<{ message: { content: string } }> }>()).choices[0]!.message.content).toBe("main");
    const id = res.headers.get("x-edgeflag-assignment-id")!;
    await rowsOf(id, 2);
    await new Promise((r) => setTimeout(r, 1000)); // a shadow record would have been flushed by now
    expect((await rowsOf(id, 2)).map((r) => [r.type, r.variant, r.shadow])).toEqual([["execution", "main", null], ["exposure", "main", null]]);
  });

  test("ROUTER_UPSTREAMS narrowed after publish: the call is refused (403 upstream_not_allowed) before anything is sent", async () => {
    const wide = withUpstreams([mock, local]);
    const published = await callWith(wide, "/v1/admin/configs/router-narrowed", { method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify({ config: config(local) }) });
    expect(published.status).toBe(201);
    const k = await makeRouterKey("router-narrowed-app", "router-narrowed");
    const res = await send(withUpstreams([mock]), k);
    expect(res.status).toBe(403);
    const error = await errorOf(res);
    expect({ type: error.type, param: error.param, code: error.code }).toEqual({ type: "permission_error", param: "model", code: "upstream_not_allowed" });
    expect(error.message).toBe(`variant "primary" of flag "mock-model" calls ${local}: secret OPENAI_API_KEY may only be sent to ${mock}, not ${local}; nothing was sent`);
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });
});

describe("client mistakes: OpenAI-shaped 4xx naming the field", () => {
  const cases: Array<[string, unknown, Record<string, string>, number, { param: string | null; code: string }]> = [
    ["no subject", { model: "chat-model", messages: [{ role: "user", content: "x" }] }, {}, 400, { param: "user", code: "subject_required" }],
    ["unknown flag", ask("u", { model: "nope" }), {}, 404, { param: "model", code: "model_not_found" }],
    ["a flag whose value is not a model call", ask("u", { model: "plain-flag" }), {}, 400, { param: "model", code: "not_a_model_flag" }],
    ["no messages", { model: "chat-model", user: "u" }, {}, 400, { param: "messages", code: "invalid_messages" }],
    ["a message without a role", ask("u", { messages: [{ content: "x" }] }), {}, 400, { param: "messages", code: "invalid_messages" }],
    ["too many messages", ask("u", { messages: Array.from({ length: 1001 }, () => ({ role: "user", content: "x" })) }), {}, 400, { param: "messages", code: "too_many_messages" }],
    ["stream not a boolean", ask("u", { stream: "yes" }), {}, 400, { param: "stream", code: "invalid_stream" }],
    ["user not a string", ask("u", { user: 7 }), {}, 400, { param: "user", code: "invalid_user" }],
    ["not JSON", "{", {}, 400, { param: null, code: "invalid_json" }],
    ["not an object", "[]", {}, 400, { param: null, code: "invalid_body" }],
    ["nested too deep", ask("u", { metadata: JSON.parse("[".repeat(70) + "]".repeat(70)) }), {}, 400, { param: "metadata", code: "too_deep" }],
    ["attributes not JSON", ask("u"), { "x-edgeflag-attributes": "{" }, 400, { param: "x-edgeflag-attributes", code: "invalid_attributes" }],
    ["an attribute not a scalar", ask("u"), { "x-edgeflag-attributes": '{"plan": {"x": 1}}' }, 400, { param: "x-edgeflag-attributes", code: "invalid_attributes" }],
    ["attributes over 2 KiB", ask("u"), { "x-edgeflag-attributes": JSON.stringify({ a: "x".repeat(2100) }) }, 400, { param: "x-edgeflag-attributes", code: "invalid_attributes" }],
    ["a body over 1 MiB", ask("u", { padding: "x".repeat(1 << 20) }), {}, 413, { param: null, code: "request_too_large" }],
  ];
  for (const [name, body, headers, status, expected] of cases) {
    test(name, async () => {
      const res = await chat(body, headers);
      expect(res.status).toBe(status);
      const error = await errorOf(res);
      expect({ param: error.param, code: error.code }).toEqual(expected);
      expect(error.type).toBe("invalid_request_error");
      expect(error.message).not.toMatch(/at .*\.ts:\d+/);
    });
  }

  test("the message of a field error gives its JSON pointer; no subject says how to send one", async () => {
    expect((await errorOf(await chat(ask("u", { messages: [{ role: "user" }, { content: "x" }] })))).message).toBe("each message needs a string role (at /messages/1/role)");
    expect(await errorOf(await chat({ model: "chat-model", messages: [{ role: "user", content: "x" }] }))).toEqual({
      message: "no subject: send `user` in the body or an x-edgeflag-subject header, so that the caller stays on one variant",
      type: "invalid_request_error",
      param: "user",
      code: "subject_required",
    });
  });
});
