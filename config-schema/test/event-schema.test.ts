// The event schema's two validators agree: the ahead-of-time compiled one (ajv standalone, the
// fast path) and the interpreter (@cfworker/json-schema, which words the errors).
import { Validator } from "@cfworker/json-schema";
import { describe, expect, test } from "vitest";
import schema from "../schema/event.v1.json" with { type: "json" };
import { validate as compiledCheck } from "../generated/event-check.gen.ts";
import { validateEvent } from "../src/index.ts";

const interpreter = new Validator(schema as object, "2020-12", false);

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE: Record<string, Record<string, unknown>> = {
  exposure: { flag: "f", allocation: "a", variant: "v", version: 2, assignmentId: "x", attributes: { plan: "pro" } },
  feedback: { flag: "f", variant: null, assignmentId: "x", rating: "up", reason: "formatting", comment: "ok" },
  execution: {
    flag: "f", variant: "v", assignmentId: "x", model: "m", latencyMs: 10, ttftMs: 1, inputTokens: 3, outputTokens: 4, cost: 0.1, error: "e", metadata: { k: 1 },
    provider: "anthropic", servedVariant: "w", cachedInputTokens: 2, cacheWriteTokens: 1, reasoningTokens: 0, finishReason: "stop", usageSource: "partial", truncated: true, fallback: true, shadow: false, stream: true,
    attempts: [{ variant: "v", provider: "openai", status: 503, latencyMs: 4, error: "upstream 503" }, { variant: "w", provider: "anthropic", model: "m", status: 200, latencyMs: 6, ttftMs: 1, inputTokens: 3, outputTokens: 4, cost: 0.1, finishReason: "stop", usageSource: "provider", truncated: false }],
  },
  outcome: { flag: "f", variant: "v", assignmentId: "x", success: false },
  custom: { name: "copied", value: -2, flag: "f" },
};
const ODD = [null, true, 0, -1, 1.5, "", "x".repeat(300), "partial", "openai", [{ variant: "v", provider: "fixed", status: 1000, latencyMs: 1 }], "🚀".repeat(100), [], {}, { a: 1 }, 1e16, "up", "exposure", "00000000-0000-0000-0000-00000000000g"];

describe("event schema", () => {
  test("ajv's compiled check and the interpreter agree on 5,000 mutated events", () => {
    const random = mulberry32(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    let valid = 0;
    for (let i = 0; i < 5000; i++) {
      const type = pick(Object.keys(BASE));
      const event: Record<string, unknown> = { id: "6f1c0c7e-3a0e-4d7b-9b7f-0a6c6d0e0001", type, env: "prod", ts: 1795000000000, subject: "s", ...BASE[type] };
      const mutations = Math.floor(random() * 3);
      for (let m = 0; m < mutations; m++) {
        const keys = [...Object.keys(event), "extra", "rating", "score", "success", "name"];
        const key = pick(keys);
        if (random() < 0.3) delete event[key];
        else event[key] = pick(ODD);
      }
      const fast = compiledCheck(event) as boolean;
      const full = interpreter.validate(event).valid;
      // The compiled check counts lengths in UTF-16 units: it may be stricter, never laxer.
      if (fast) expect(full).toBe(true);
      else if (full) expect(JSON.stringify(event)).toMatch(/🚀/);
      if (full) valid++;
      expect(validateEvent(event).valid).toBe(full);
    }
    expect(valid).toBeGreaterThan(1000);
    expect(valid).toBeLessThan(4500);
  });

  test("a router's execution names its provider, served variant, usage source and attempts, each bounded with a pointer", () => {
    const event = { id: "6f1c0c7e-3a0e-4d7b-9b7f-0a6c6d0e0001", type: "execution", env: "prod", ts: 1, subject: "s", ...BASE.execution };
    expect(validateEvent(event)).toEqual({ valid: true });
    const attempt = { variant: "v", provider: "openai", status: 200, latencyMs: 1 };
    const bad = { ...event, usageSource: "guessed", finishReason: "x".repeat(33), attempts: [attempt, attempt, attempt, attempt, { ...attempt, status: 1000, secret: "k" }] };
    expect(validateEvent(bad)).toMatchObject({
      valid: false,
      errors: expect.arrayContaining([
        { pointer: "/usageSource", message: 'must be one of ["provider","partial","estimated"]' },
        { pointer: "/finishReason", message: "must have at most 32 characters (has 33)" },
        { pointer: "/attempts", message: "must have at most 4 items (has 5)" },
        { pointer: "/attempts/4/status", message: "must be at most 999 (got 1000)" },
        { pointer: "/attempts/4/secret", message: "unknown field (not in the v1 schema)" },
      ]),
    });
  });

  test("an astral string the compiled check refuses by length is still judged by the schema", () => {
    const event = { id: "6f1c0c7e-3a0e-4d7b-9b7f-0a6c6d0e0001", type: "custom", env: "prod", ts: 1, subject: "🚀".repeat(200), name: "n" };
    expect(compiledCheck(event)).toBe(false); // 400 UTF-16 units
    expect(validateEvent(event)).toEqual({ valid: true }); // 200 code points ≤ 256
  });
});
