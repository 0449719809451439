// Ramps in the config (issue 15, item 1): the schema's shape and the semantic rules, each error
// with its JSON pointer.
import { describe, expect, test } from "vitest";
import { validate } from "@edgeflag/config-schema";

const config = (ramp: unknown, alloc: Record<string, unknown> = {}) => ({
  flags: {
    "chat-model": {
      enabled: true,
      defaultVariant: "small",
      variants: { small: { value: "gpt-4o-mini" }, large: { value: "gpt-4o" } },
      allocations: [{ key: "ramp", log: true, rollout: 100, splits: [{ variant: "small", weight: 1 }, { variant: "large", weight: 1 }], ramp, ...alloc }],
    },
  },
});
const errorsOf = (c: unknown) => {
  const r = validate(c);
  return r.valid ? [] : r.errors;
};
const at = "/flags/chat-model/allocations/0";

describe("ramp", () => {
  test("a ramp with stages and guardrails of every kind is valid", () => {
    const ramp = {
      stages: [{ rollout: 100, minDurationMinutes: 30, minSubjects: 200 }, { rollout: 2500, minDurationMinutes: 60 }, { rollout: 10000, minDurationMinutes: 60 }],
      guardrails: [
        { metric: "error_rate", threshold: 0.02, action: "rollback" },
        { metric: "ttft_p95", threshold: 0.2, relative: true, minSamples: 500, action: "rollback" },
        { metric: "thumbs_down_rate", threshold: 0.05, action: "hold" },
        { metric: "daily_cost", threshold: 50, action: "rollback" },
        { metric: "custom:copied:rate", direction: "decrease", threshold: 0.1, relative: true, action: "warn" },
      ],
      onThin: "advance",
    };
    expect(errorsOf(config(ramp))).toEqual([]);
  });

  test("shape errors name the field", () => {
    const errors = errorsOf(config({ stages: [{ rollout: 0, minDurationMinutes: 0 }], guardrails: [{ metric: "vibes", threshold: -1, action: "panic" }] }));
    expect(errors.map((e) => e.pointer)).toEqual(expect.arrayContaining([
      `${at}/ramp/stages/0/rollout`,
      `${at}/ramp/stages/0/minDurationMinutes`,
      `${at}/ramp/guardrails/0/metric`,
      `${at}/ramp/guardrails/0/threshold`,
      `${at}/ramp/guardrails/0/action`,
    ]));
    expect(errorsOf(config({}))).toEqual([{ pointer: `${at}/ramp`, message: "missing required field \"stages\"" }]);
  });

  test("stages only ramp up; the allocation logs and has two arms; a budget is absolute", () => {
    const errors = errorsOf(config(
      { stages: [{ rollout: 500, minDurationMinutes: 10 }, { rollout: 500, minDurationMinutes: 10 }], guardrails: [{ metric: "daily_cost", threshold: 5, relative: true, direction: "decrease", action: "rollback" }] },
      { log: false, splits: [{ variant: "large", weight: 1 }], rolloutOffset: 9800 },
    ));
    expect(errors).toEqual(expect.arrayContaining([
      { pointer: `${at}/log`, message: "a ramp compares its arms from their exposures, so its allocation must log them (log: true)" },
      { pointer: `${at}/splits`, message: "a ramp needs a control and at least one treatment in its splits; this allocation has 1" },
      { pointer: `${at}/ramp/stages/1/rollout`, message: "stage rollouts must increase (a ramp only widens the allocation, so no subject leaves their arm): 500 follows 500" },
      { pointer: `${at}/ramp/stages/1/rollout`, message: "rolloutOffset + the last stage's rollout is 10300; the traffic range must end at or before 10000" },
      { pointer: `${at}/ramp/guardrails/0/relative`, message: "daily_cost is a budget in USD per day, never relative to the control" },
      { pointer: `${at}/ramp/guardrails/0/direction`, message: "daily_cost guards against spending more: its direction is increase" },
    ]));
  });
});
