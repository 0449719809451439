// Router executions (issue 14, items 3 to 5) through the real ingestion path: POST /v1/events →
// Queue → D1 (migration 0007's columns) → GET /v1/results. A call a fallback answered counts in
// its assigned arm, fallback and truncation rates are per call, shadow calls count in no arm.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, CONFIG, call, publish } from "./helpers.ts";
import { assigned, event, post, waitStored } from "./events-helpers.ts";
import { expectQuantiles } from "./results-helpers.ts";

const E = "router-results";
/** The first subject CONFIG assigns to `variant`. */
const subjectIn = (variant: string) => Array.from({ length: 200 }, (_, i) => `router-${i}`).find((s) => assigned(s) === variant)!;

/* eslint-disable @typescript-eslint/no-explicit-any */
type Body = any;

describe("router executions in the results", () => {
  const s4 = subjectIn("gpt-4");
  const s35 = subjectIn("gpt-3_5");
  const [a4, a35] = [crypto.randomUUID(), crypto.randomUUID()];
  const exec = (subject: string, assignmentId: string, variant: string, over: Record<string, unknown>) =>
    event("execution", { env: E, subject, assignmentId, variant, model: "gpt-4.1", inputTokens: 100, outputTokens: 20, cost: undefined, ...over });
  const attempts = [
    { variant: "gpt-4", provider: "openai", model: "gpt-4.1", status: 503, latencyMs: 40, error: "upstream 503" },
    { variant: "gpt-3_5", provider: "openai", model: "gpt-3.5-turbo", status: 200, latencyMs: 860, ttftMs: 90, inputTokens: 100, cachedInputTokens: 100, outputTokens: 20, cost: 0.0001, finishReason: "stop", usageSource: "provider" },
  ];
  const events = [
    event("exposure", { env: E, subject: s4, variant: "gpt-4", assignmentId: a4 }),
    exec(s4, a4, "gpt-4", { servedVariant: "gpt-3_5", fallback: true, provider: "openai", latencyMs: 900, ttftMs: 90, cachedInputTokens: 100, reasoningTokens: 0, usageSource: "provider", finishReason: "stop", stream: true, attempts }),
    exec(s4, a4, "gpt-4", { truncated: true, usageSource: "partial", latencyMs: 500, ttftMs: 50, cachedInputTokens: 0, reasoningTokens: 30 }),
    exec(s4, a4, "gpt-4", { latencyMs: 700, ttftMs: 70, cachedInputTokens: 50, reasoningTokens: 10, finishReason: "length" }),
    exec(s4, a4, "gpt-4", { shadow: true, fallback: true, truncated: true, latencyMs: 5000, ttftMs: 4000, cachedInputTokens: 9999, reasoningTokens: 9999 }),
    event("exposure", { env: E, subject: s35, variant: "gpt-3_5", assignmentId: a35 }),
    exec(s35, a35, "gpt-3_5", { latencyMs: 100, ttftMs: 10, fallback: false, truncated: false }),
    exec(s35, a35, "gpt-3_5", { servedVariant: "gpt-4", shadow: true, fallback: true, latencyMs: 3000, ttftMs: 300 }),
  ];

  beforeAll(async () => {
    await publish(E, CONFIG);
    const res = await post(JSON.stringify(events));
    expect(await res.json()).toMatchObject({ accepted: events.length, rejected: [] });
    expect(await waitStored(events.map((e) => e.id as string))).toBe(events.length);
  });

  it("stores the router's fields in migration 0007's columns: booleans as 1/0, the attempts as JSON", async () => {
    const row = await env.DB.prepare("SELECT provider, served_variant, cached_input_tokens, reasoning_tokens, finish_reason, usage_source, truncated, fallback, shadow, stream, attempts, data FROM events WHERE id = ?1").bind(events[1]!.id).first<Record<string, unknown>>();
    expect({ ...row, attempts: JSON.parse(row!.attempts as string) }).toEqual({
      provider: "openai", served_variant: "gpt-3_5", cached_input_tokens: 100, reasoning_tokens: 0, finish_reason: "stop", usage_source: "provider", truncated: null, fallback: 1, shadow: null, stream: 1, attempts, data: null,
    });
    const cut = await env.DB.prepare("SELECT truncated, fallback, usage_source FROM events WHERE id = ?1").bind(events[2]!.id).first();
    expect(cut).toEqual({ truncated: 1, fallback: null, usage_source: "partial" });
  });

  it("reports fallback and truncation rates, cached and reasoning tokens per call and TTFT quantiles per assigned arm, shadow calls left out", async () => {
    const res = await call(`/v1/results/${E}/chat-model`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    const body: Body = await res.json();
    const arm = (variant: string) => body.variants.find((v: Body) => v.variant === variant);
    const gpt4 = arm("gpt-4"), gpt35 = arm("gpt-3_5");
    expect(gpt4.metrics.fallback_rate.value).toBeCloseTo(1 / 3, 12);
    expect(gpt4.metrics.truncation_rate.value).toBeCloseTo(1 / 3, 12);
    expect(gpt4.metrics.cached_input_tokens).toEqual({ value: 50, subjects: 1 });
    expect(gpt4.metrics.reasoning_tokens.value).toBeCloseTo(40 / 3, 12);
    expect(gpt4.metrics.latency_ms).toEqual({ value: 700, subjects: 1 });
    expectQuantiles(gpt4.latency, { p50: 700, p95: 880 });
    expectQuantiles(gpt4.ttft, { p50: 70, p95: 88 });
    expect(gpt35.metrics.fallback_rate).toEqual({ value: 0, subjects: 1 });
    expect(gpt35.metrics.truncation_rate).toEqual({ value: 0, subjects: 1 });
    expect(gpt35.metrics.cached_input_tokens).toEqual({ value: null, subjects: 0 });
    expectQuantiles(gpt35.latency, { p50: 100, p95: 100 });
    expectQuantiles(gpt35.ttft, { p50: 10, p95: 10 });
    expect(body.metrics.map((m: Body) => m.key)).toEqual(expect.arrayContaining(["fallback_rate", "truncation_rate", "cached_input_tokens", "reasoning_tokens"]));
  });
});
