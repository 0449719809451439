// Bodies built to hurt: nesting thousands deep, a 64 MB chunked stream with no Content-Length,
// lone surrogates. Each is a 4xx or a per-event rejection; the good events beside them are kept.
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, CONFIG, admin, call, publish } from "./helpers.ts";
import { event, post, publishEventsConfig, waitStored } from "./events-helpers.ts";

interface Answer {
  accepted: number;
  rejected: { index: number; code: string; pointer: string; message: string }[];
}

/** `[[[…1…]]]`, `levels` deep, as JSON text (JSON.stringify itself would recurse that deep). */
const nested = (levels: number) => "[".repeat(levels) + "1" + "]".repeat(levels);


// The exposures posted here name a real config version (event() assigns their variants from it).
beforeAll(publishEventsConfig);

describe("hostile event bodies", () => {
  it.each([5_000, 20_000])("metadata nested %i deep: EVENT_TOO_DEEP for that event, 202, the valid ones stored", async (levels) => {
    const good = [event("exposure"), event("custom")];
    const deep = event("execution");
    const text = `[${JSON.stringify(good[0])},${JSON.stringify(deep).replace(/}$/, `,"metadata":{"x":${nested(levels)}}}`)},${JSON.stringify(good[1])}]`;
    const res = await post(text);
    expect(res.status).toBe(202);
    const body = (await res.json()) as Answer;
    expect(body.accepted).toBe(2);
    expect(body.rejected).toEqual([{ index: 1, code: "EVENT_TOO_DEEP", pointer: "/metadata/x" + "/0".repeat(30), message: "an event may nest at most 32 levels (its metadata 31)" }]);
    expect(await waitStored(good.map((e) => e.id as string))).toBe(2);
  });

  it("a 64 MB chunked body with no Content-Length is cut off at the 256 KiB limit: 413, and the rest is never read", async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 64 * 1024 * 1024) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await call("/v1/events", { method: "POST", body, headers: { "Content-Type": "application/json" } });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("BODY_TOO_LARGE");
    expect(pulled).toBeLessThanOrEqual(512 * 1024);
  });

  it("a lone surrogate in a string value is INVALID_FIELD at its pointer; well-formed emoji and the other events are kept", async () => {
    const good = event("feedback", { comment: "thanks 🚀 José 中文" });
    const bad = event("feedback", { comment: "PLACEHOLDER" });
    const text = JSON.stringify([good, bad]).replace('"PLACEHOLDER"', '"half \\ud83d of an emoji"');
    const res = await post(text);
    expect(res.status).toBe(202);
    const body = (await res.json()) as Answer;
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([{ index: 1, code: "INVALID_FIELD", pointer: "/comment", message: "a string or key holds a lone surrogate: it is not well-formed Unicode text" }]);
    expect(await waitStored([good.id as string])).toBe(1);
  });
});

describe("names from the URL that exist on every object", () => {
  const names = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];
  it.each(names)("%s in a results, configs or history path answers 4xx or 200, never 500", async (name) => {
    await publish("proto-env", CONFIG);
    const auth = { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } };
    for (const [path, init] of [
      [`/v1/results/proto-env/${name}`, auth],
      [`/v1/results/${name}/chat-model`, auth],
      [`/v1/configs/${name}`, {}],
      [`/v1/configs/proto-env/versions/${name}`, {}],
      [`/v1/admin/configs/${name}/history`, auth],
    ] as const) {
      const res = await call(path, init);
      expect({ path, status: res.status < 500 }).toEqual({ path, status: true });
      await res.body?.cancel();
    }
  });
});

describe("admin bodies and names built to hurt", () => {
  it.each(["__proto__", "constructor", "toString"])("tokens: revoking %s is a 4xx, creating it is a 201 or a 4xx, never a 500", async (name) => {
    const revoke = await admin(`/tokens/${name}/revoke`, {});
    expect(revoke.status).toBeGreaterThanOrEqual(400);
    expect(revoke.status).toBeLessThan(500);
    const create = await admin("/tokens", { name });
    expect([201, 400, 409]).toContain(create.status);
  });

  it("a publish body nested 20,000 deep is a 400, not a 500", async () => {
    const res = await call("/v1/admin/configs/deep-env", { method: "POST", body: `{"config":${"[".repeat(20_000)}${"]".repeat(20_000)}}`, headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" } });
    expect(res.status).toBe(400);
  });
});

describe("a pattern that backtracks catastrophically", () => {
  it("is refused by the admin API's publish with its pointer, and nothing is stored", async () => {
    const config = structuredClone(CONFIG) as { flags: Record<string, { allocations: { rules?: unknown[] }[] }> };
    const flag = Object.keys(config.flags)[0]!;
    config.flags[flag]!.allocations[0]!.rules = [{ conditions: [{ attribute: "name", operator: "matches", value: "^(a+)+$" }] }];
    const res = await admin("/configs/redos-env", { config });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; errors: { pointer: string; message: string }[] } };
    expect(body.error.code).toBe("CONFIG_INVALID");
    expect(body.error.errors).toHaveLength(1);
    expect(body.error.errors[0]!.pointer).toBe(`/config/flags/${flag}/allocations/0/rules/0/conditions/0/value`);
    expect(body.error.errors[0]!.message).toMatch(/^pattern can backtrack catastrophically/);
    expect((await call("/v1/configs/redos-env")).status).toBe(404);
  });
});
