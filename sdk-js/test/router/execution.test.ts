// The router's execution record from its attempts: intent-to-treat (the assigned variant stays
// `variant`), the served variant and fallback flag, latency and time to first token counted from
// the first attempt, costs summed, and each attempt flattened as event.v1.json's Attempt.
import { describe, expect, test } from "vitest";
import { validateEvent } from "@edgeflag/config-schema/events";
import { executionOf } from "../../src/router/index.ts";
import type { AttemptRecord } from "../../src/llm/types.ts";

const failed: AttemptRecord = { variant: "primary", provider: "openai", model: "gpt-4o", status: 500, latencyMs: 40, error: "upstream 500" };
const answered: AttemptRecord = {
  variant: "backup",
  provider: "anthropic",
  model: "claude-x",
  status: 200,
  latencyMs: 300,
  ttftMs: 120,
  usage: { inputTokens: 200, cachedInputTokens: 1000, cacheWriteTokens: 300, outputTokens: 50, reasoningTokens: 0, source: "provider" },
  cost: 0.002775,
  finishReason: "stop",
};

describe("executionOf", () => {
  test("a fallback: assigned variant kept, the backup served, times from the first attempt, both attempts flat", () => {
    const { metrics, routed } = executionOf([failed, answered], "primary", true, { stream: true });
    expect(metrics).toEqual({ model: "claude-x", latencyMs: 340, ttftMs: 160, cost: 0.002775, inputTokens: 200, outputTokens: 50 });
    expect(routed).toEqual({
      provider: "anthropic",
      stream: true,
      finishReason: "stop",
      truncated: false,
      servedVariant: "backup",
      fallback: true,
      cachedInputTokens: 1000,
      cacheWriteTokens: 300,
      reasoningTokens: 0,
      usageSource: "provider",
      attempts: [
        { variant: "primary", provider: "openai", model: "gpt-4o", status: 500, latencyMs: 40, error: "upstream 500" },
        { variant: "backup", provider: "anthropic", model: "claude-x", status: 200, latencyMs: 300, ttftMs: 120, inputTokens: 200, cachedInputTokens: 1000, cacheWriteTokens: 300, outputTokens: 50, reasoningTokens: 0, usageSource: "provider", cost: 0.002775, finishReason: "stop" },
      ],
    });
    const event = { id: crypto.randomUUID(), type: "execution", env: "e", ts: 1, subject: "s", flag: "f", assignmentId: "a", variant: "primary", ...metrics, ...routed };
    expect(validateEvent(event, { now: 1 })).toMatchObject({ valid: true });
  });

  test("no attempt answered: no served variant, the last refusal's error", () => {
    const { metrics, routed } = executionOf([failed], "primary", false, { stream: false });
    expect(metrics).toEqual({ model: "gpt-4o", latencyMs: 40, error: "upstream 500" });
    expect(routed).toEqual({ provider: "openai", stream: false, truncated: false, attempts: [{ variant: "primary", provider: "openai", model: "gpt-4o", status: 500, latencyMs: 40, error: "upstream 500" }] });
  });
});
