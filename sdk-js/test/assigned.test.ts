// assignedSplit (the Worker's exposure check) against the evaluator: replayed over the shared
// evaluation vectors and over many subjects of a holdout + partial-rollout experiment, it always
// derives the variant evaluation gave, and says why when the allocation could not have decided.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { assignedSplit, compileConfig, evaluate } from "@edgeflag/sdk/core";
import type { FlagConfig } from "@edgeflag/config-schema";

interface Vector {
  name: string;
  config: string;
  flag: string;
  context: { subject: string };
  expected: { variant: string | null; allocation: string | null; log: boolean };
}
const vectors = JSON.parse(readFileSync(new URL("../../config-schema/vectors/evaluation.json", import.meta.url), "utf8")) as { configs: Record<string, FlagConfig>; cases: Vector[] };

const layered: FlagConfig = {
  flags: {
    model: {
      enabled: true,
      defaultVariant: "small",
      variants: { small: { value: "gpt-4o-mini" }, large: { value: "gpt-4o" }, tiny: { value: "gpt-4.1-nano" } },
      allocations: [
        { key: "beta", rules: [{ conditions: [{ attribute: "plan", operator: "eq", value: "beta" }] }], splits: [{ variant: "tiny", weight: 1 }], log: true },
        { key: "holdout", rollout: 1000, splits: [{ variant: "small", weight: 1 }] },
        { key: "exp", rollout: 6000, splits: [{ variant: "small", weight: 1 }, { variant: "large", weight: 2 }], log: true },
      ],
    },
    off: { enabled: false, defaultVariant: "a", variants: { a: { value: 1 } }, allocations: [{ key: "x", splits: [{ variant: "a", weight: 1 }], log: true }] },
    broken: { enabled: true, defaultVariant: "missing", variants: { a: { value: 1 } }, allocations: [] },
  },
};

describe("assignedSplit", () => {
  test("every shared vector that an allocation decides: the same variant, or NOT_LOGGED for a rollout", () => {
    const compiled = new Map(Object.entries(vectors.configs).map(([name, c]) => [name, compileConfig(c)]));
    let checked = 0;
    for (const v of vectors.cases) {
      if (v.expected.allocation === null || typeof v.context?.subject !== "string") continue;
      const got = assignedSplit(compiled.get(v.config)!, v.flag, v.expected.allocation, v.context.subject);
      expect(got, v.name).toEqual(v.expected.log ? { ok: true, variant: v.expected.variant } : { ok: false, code: "NOT_LOGGED" });
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  test("over 3,000 subjects it agrees with evaluate: the split, the holdout first, outside the rollout", () => {
    const compiled = compileConfig(layered);
    const seen = { split: 0, holdout: 0, outside: 0 };
    for (let i = 0; i < 3000; i++) {
      const subject = `user-${i}`;
      const r = evaluate(compiled, "model", { subject }, "none");
      const got = assignedSplit(compiled, "model", "exp", subject);
      if (r.allocation === "exp") {
        seen.split++;
        expect(got).toEqual({ ok: true, variant: r.variant });
      } else if (r.allocation === "holdout") {
        seen.holdout++;
        expect(got).toEqual({ ok: false, code: "EARLIER_ALLOCATION", allocation: "holdout", variant: "small" });
      } else {
        seen.outside++;
        expect([r.reason, got]).toEqual(["DEFAULT", { ok: false, code: "OUTSIDE_TRAFFIC" }]);
      }
      // Targeting cannot be checked without attributes: the rule-bound allocation is taken at its word.
      expect(assignedSplit(compiled, "model", "beta", subject)).toEqual({ ok: true, variant: "tiny" });
    }
    // 10% holdout, then 60% of the traffic bucket (a separate salt): every case is exercised.
    expect(seen.holdout).toBeGreaterThan(200);
    expect(seen.split).toBeGreaterThan(1400);
    expect(seen.outside).toBeGreaterThan(900);
  });

  test("a flag or allocation the config cannot have assigned says why", () => {
    const compiled = compileConfig(layered);
    expect(assignedSplit(compiled, "nope", "exp", "u")).toEqual({ ok: false, code: "UNKNOWN_FLAG" });
    expect(assignedSplit(compiled, "broken", "exp", "u")).toEqual({ ok: false, code: "INVALID_FLAG" });
    expect(assignedSplit(compiled, "off", "x", "u")).toEqual({ ok: false, code: "DISABLED" });
    expect(assignedSplit(compiled, "model", "toString", "u")).toEqual({ ok: false, code: "UNKNOWN_ALLOCATION" });
    expect(assignedSplit(compiled, "model", "holdout", "u")).toEqual({ ok: false, code: "NOT_LOGGED" });
  });
});
