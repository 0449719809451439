// A hostile reviewer's inputs to the model router, inside workerd against the real KV, D1 and
// Queue: prototype-named models and attributes, forged and oversized fields, bodies that are not
// what they say, and strings D1 cannot store. Every client mistake is an OpenAI-shaped 4xx naming
// the field; nothing a caller sends turns into a 500 or a lost record.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, test } from "vitest";
import type { FlagConfig } from "@edgeflag/config-schema";
import worker from "../src/index.ts";
import { ADMIN_TOKEN, call, callWith, makeRouterKey, ORIGIN, publish } from "./helpers.ts";
import { ask, chatWith, errorOf, ROUTED, rowsOf } from "./router-helpers.ts";

const E = "router-hostile";
let key = "";
const chat = (body: unknown, headers: Record<string, string> = {}) => chatWith(key, body, headers);

beforeAll(async () => {
  await publish(E, ROUTED);
  key = await makeRouterKey("router-hostile-app", E);
});

describe("prototype-named models", () => {
  for (const model of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]) {
    test(`model ${model} is 404 model_not_found, by the body and by x-edgeflag-flag`, async () => {
      for (const res of [await chat(ask("ana", { model })), await chat(ask("ana", { model: "anything" }), { "x-edgeflag-flag": model })]) {
        expect(res.status).toBe(404);
        expect(await errorOf(res)).toEqual({ message: `The model \`${model}\` does not exist: env ${E} has no flag of that key`, type: "invalid_request_error", param: "model", code: "model_not_found" });
      }
    });
  }
});

describe("x-edgeflag-attributes", () => {
  const cases: Array<[string, string, number, string]> = [
    ["an array", "[1,2]", 400, "the header must be a JSON object (at x-edgeflag-attributes)"],
    ["a nested object", '{"a":{"b":1}}', 400, "each attribute must be a string, number, boolean or null (at x-edgeflag-attributes/a)"],
    ["not JSON", "{nope", 400, "the header is not JSON (at x-edgeflag-attributes)"],
  ];
  for (const [name, header, status, message] of cases) {
    test(name, async () => {
      const res = await chat(ask("ana"), { "x-edgeflag-attributes": header });
      expect(res.status).toBe(status);
      expect(await errorOf(res)).toEqual({ message, type: "invalid_request_error", param: "x-edgeflag-attributes", code: "invalid_attributes" });
    });
  }
  test("a __proto__ attribute is an attribute like any other, never the object's prototype", async () => {
    const res = await chat(ask("ana"), { "x-edgeflag-attributes": '{"__proto__":{"polluted":true},"plan":"pro"}' });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toBe("each attribute must be a string, number, boolean or null (at x-edgeflag-attributes/__proto__)");
    const ok = await chat(ask("ana"), { "x-edgeflag-attributes": '{"__proto__":"x","constructor":"y","plan":"pro"}' });
    expect(ok.status).toBe(200);
    await ok.text();
  });
  test("a lone surrogate in an attribute is a 400 naming it", async () => {
    const res = await chat(ask("ana"), { "x-edgeflag-attributes": '{"plan":"\\ud800"}' });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toEqual({ message: "the attribute holds a lone UTF-16 surrogate (at x-edgeflag-attributes/plan)", type: "invalid_request_error", param: "x-edgeflag-attributes", code: "invalid_attributes" });
  });
});

describe("bodies", () => {
  const cases: Array<[string, unknown, Record<string, string>, number, { param: string | null; code: string }]> = [
    ["a JSON array", "[]", {}, 400, { param: null, code: "invalid_body" }],
    ["not JSON", "model=chat-model", {}, 400, { param: null, code: "invalid_json" }],
    ["stream as a string", ask("ana", { stream: "true" }), {}, 400, { param: "stream", code: "invalid_stream" }],
    ["stream_options a string", ask("ana", { stream: true, stream_options: "yes" }), {}, 400, { param: "/stream_options", code: "invalid_request" }],
    ["user a number", ask("ana", { user: 42 }), {}, 400, { param: "user", code: "invalid_user" }],
    ["user 10 KB", ask("x".repeat(10_240)), {}, 400, { param: "user", code: "invalid_user" }],
    ["a content part without a type", ask("ana", { messages: [{ role: "user", content: [{ text: "hi" }] }] }), {}, 400, { param: "/messages/0/content/0", code: "invalid_request" }],
    ["a lone surrogate in user", `{"model":"chat-model","user":"\\udc00","messages":[{"role":"user","content":"hi"}]}`, {}, 400, { param: "user", code: "invalid_string" }],
  ];
  for (const [name, body, headers, status, want] of cases) {
    test(name, async () => {
      const res = await chat(body, headers);
      expect(res.status).toBe(status);
      const error = await errorOf(res);
      expect({ param: error.param, code: error.code }).toEqual(want);
    });
  }
  test("a body nested 300,000 deep is a 400 naming where it passes 64 levels, not a stack overflow", async () => {
    const res = await chat(`{"model":"chat-model","user":"ana","messages":[{"role":"user","content":"hi"}],"tools":${"[".repeat(300_000)}${"]".repeat(300_000)}}`);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect([error.param, error.code, error.message.startsWith("the body nests deeper than 64 levels (at /tools/0/0/0/")]).toEqual(["tools", "too_deep", true]);
  });

  test("a 1 MiB body of 62-deep objects with many leaves is checked within a second", async () => {
    const leaf = `{"k":[${Array.from({ length: 20 }, () => '"x"').join(",")}]}`;
    let deep = leaf;
    for (let i = 0; i < 58; i++) deep = `{"a":${deep}}`;
    const many: string[] = [];
    for (let size = 0; size < 900_000; size += deep.length + 1) many.push(deep);
    const started = Date.now();
    const res = await chat(`{"model":"chat-model","user":"ana","messages":[{"role":"user","content":"hi"}],"metadata_blob":[${many.join(",")}]}`);
    expect(res.status).toBe(200);
    await res.text();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test("a body streamed in 64 KiB pieces with no Content-Length is cut off past 1 MiB: 413 request_too_large", async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((r) => setTimeout(r, 1));
        controller.enqueue(new Uint8Array(65_536).fill(0x20));
        if ((sent += 65_536) >= 4 << 20) controller.close();
      },
    });
    const res = await call("/v1/chat/completions", { method: "POST", headers: { Authorization: `Bearer ${key}` }, body, duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toEqual({ message: `the body is larger than ${1 << 20} bytes`, type: "invalid_request_error", param: null, code: "request_too_large" });
    expect(sent).toBeLessThan(4 << 20);
  });

  test("a subject too long names where it came from: the body's user or the x-edgeflag-subject header", async () => {
    const long = "s".repeat(257);
    const byHeader = await chat({ model: "chat-model", messages: [{ role: "user", content: "hi" }] }, { "x-edgeflag-subject": long });
    expect(byHeader.status).toBe(400);
    expect(await errorOf(byHeader)).toEqual({ message: "the subject is longer than 256 characters (at x-edgeflag-subject)", type: "invalid_request_error", param: "x-edgeflag-subject", code: "invalid_user" });
    const byBody = await chat(ask(long));
    expect(await errorOf(byBody)).toEqual({ message: "the subject is longer than 256 characters (at /user)", type: "invalid_request_error", param: "user", code: "invalid_user" });
  });

  test("a gzip body is refused as not JSON, never inflated past the limit", async () => {
    const gz = await new Response(new Blob([JSON.stringify(ask("ana"))]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
    const res = await call("/v1/chat/completions", { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json", "Content-Encoding": "gzip" }, body: gz });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe("invalid_json");
  });
});

describe("what an upstream says, in the record (the Node mock LLM)", () => {
  const mock = inject("mockLlmUrl");
  const withMock = { ...env, ROUTER_UPSTREAMS: JSON.stringify({ OPENAI_API_KEY: [mock] }), OPENAI_API_KEY: "sk-hostile-test" } as unknown as Env;
  const flag = (model: string, fallback?: string): FlagConfig["flags"][string] => ({
    enabled: true,
    variants: {
      primary: { value: { provider: "openai", model, baseUrl: `${mock}/v1`, apiKeySecret: "OPENAI_API_KEY", ...(fallback && { fallback }) } },
      backup: { value: { provider: "fixed", answer: "the backup answers" } },
    },
    defaultVariant: "primary",
    allocations: [{ key: "all", splits: [{ variant: "primary", weight: 1 }], log: true }],
  });
  const config: FlagConfig = { flags: { "long-500": flag("long-error:500", "backup"), "long-400": flag("long-error:400"), "odd-finish": flag("odd-finish"), "slow-stream": flag("gap:300"), "long-model": flag("m".repeat(200)) } };
  let k = "";
  beforeAll(async () => {
    const published = await callWith(withMock, "/v1/admin/configs/router-hostile-mock", { method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify({ config }) });
    expect(published.status).toBe(201);
    k = await makeRouterKey("router-hostile-mock-app", "router-hostile-mock");
  });
  const send = (model: string) => callWith(withMock, "/v1/chat/completions", { method: "POST", headers: { Authorization: `Bearer ${k}` }, body: JSON.stringify(ask("odd-user", { model })) });
  const wellFormed = (s: string) => !/\p{Surrogate}/u.test(s);

  test("a 3000-character upstream error with a lone surrogate: the fallback answers and the execution is stored, its error cut to the schema's 1000 characters, well-formed", async () => {
    const res = await send("long-500");
    expect(res.status).toBe(200);
    await res.text();
    const rows = await rowsOf(res.headers.get("x-edgeflag-assignment-id")!, 2);
    expect(rows.map((r) => r.type)).toEqual(["execution", "exposure"]);
    const [first] = JSON.parse(rows[0]!.attempts!) as Array<{ error: string }>;
    expect([...first!.error].length).toBe(1000);
    expect(first!.error.startsWith("\ufffdxxx") && first!.error.endsWith("x…")).toBe(true);
  });

  test("the same error as a 400 without a fallback: the client gets it, well-formed; the execution is stored", async () => {
    const res = await send("long-400");
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(wellFormed(error.message) && [...error.message].length <= 1000).toBe(true);
    const rows = await rowsOf(res.headers.get("x-edgeflag-assignment-id")!, 2);
    expect(rows.map((r) => [r.type, r.error?.length])).toEqual([["execution", 1000], ["exposure", undefined]]);
  });

  test("a client that goes away mid-stream: the upstream is cancelled and the execution is still stored, truncated, with the usage estimated from what was seen", async () => {
    // Not callWith: it waits for ctx.waitUntil, which holds the record, which waits for the stream.
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(`${ORIGIN}/v1/chat/completions`, { method: "POST", headers: { Authorization: `Bearer ${k}` }, body: JSON.stringify(ask("leaving-user", { model: "slow-stream", stream: true })) }), withMock, ctx);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value).startsWith("data: {")).toBe(true);
    await reader.cancel();
    await waitOnExecutionContext(ctx);
    const rows = await rowsOf(res.headers.get("x-edgeflag-assignment-id")!, 2);
    expect(rows.map((r) => [r.type, r.truncated, r.usage_source, r.error, r.finish_reason])).toEqual([
      ["execution", 1, "estimated", "cancelled by the client", null],
      ["exposure", null, null, null, null],
    ]);
  });

  test("a variant whose model id is 200 characters (the config allows 256, an event's model 128): the execution is stored, its model cut to 128", async () => {
    const res = await send("long-model");
    expect(res.status).toBe(200);
    await res.text();
    const rows = await rowsOf(res.headers.get("x-edgeflag-assignment-id")!, 2);
    expect(rows.map((r) => [r.type, r.model])).toEqual([["execution", "m".repeat(128)], ["exposure", null]]);
    expect(JSON.parse(rows[0]!.attempts!)[0].model).toBe("m".repeat(128));
  });

  test("a 41-character finish_reason with a lone surrogate: the execution is stored with it cut to the schema's 32, well-formed", async () => {
    const res = await send("odd-finish");
    expect(res.status).toBe(200);
    await res.text();
    const rows = await rowsOf(res.headers.get("x-edgeflag-assignment-id")!, 2);
    expect(rows.map((r) => [r.type, r.finish_reason])).toEqual([["execution", `\ufffd${"f".repeat(31)}`], ["exposure", null]]);
  });
});

describe("concurrency", () => {
  test("30 simultaneous first calls to a router no request has warmed: every one answers 200 from the config", async () => {
    await publish("router-hostile-cold", ROUTED);
    const cold = await makeRouterKey("router-hostile-cold-app", "router-hostile-cold");
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => chatWith(cold, ask(`cold-${i}`))));
    const statuses = await Promise.all(answers.map(async (res) => [res.status, res.status === 200 ? "" : (await errorOf(res)).code]));
    expect(statuses).toEqual(Array.from({ length: 30 }, () => [200, ""]));
    await Promise.all(answers.map((res) => res.body?.cancel()));
  });

  test("simultaneous first calls for one subject share one router: one exposure, not one per call", async () => {
    await publish("router-hostile-once", ROUTED);
    const once = await makeRouterKey("router-hostile-once-app", "router-hostile-once");
    const answers = await Promise.all(Array.from({ length: 10 }, () => chatWith(once, ask("one-subject"))));
    expect(answers.map((r) => r.status)).toEqual(Array.from({ length: 10 }, () => 200));
    await Promise.all(answers.map((r) => r.text()));
    const rows = await rowsOf(answers[0]!.headers.get("x-edgeflag-assignment-id")!, 11);
    expect(rows.filter((r) => r.type === "exposure").length).toBe(1);
    expect(rows.filter((r) => r.type === "execution").length).toBe(10);
  });
});
