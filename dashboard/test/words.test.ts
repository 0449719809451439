// How the dashboard words numbers, values, targeting and ramp actions (the browser test checks
// the page against the API through these same functions, so they are pinned here).
import { describe, expect, test } from "vitest";
import { bps, describeValue, differenceOf, fmt, formatOf, pct, pValue, signed, signedPct, usd, when } from "../src/format.ts";
import { describeCondition, splitShares, targeting } from "../src/describe.ts";
import { span } from "../src/charts.ts";
import { notNow } from "../src/views/ramp.ts";

describe("numbers", () => {
  test("plain, signed, shares, p-values, dollars, basis points, times", () => {
    expect([fmt(1234.5), fmt(123.4), fmt(12.345), fmt(6), fmt(1.5), fmt(0.012345), fmt(0), fmt(-0.5)]).toEqual(["1,235", "123", "12.35", "6", "1.5", "0.0123", "0", "-0.5"]);
    expect([signed(0.05), signed(-3), signed(0)]).toEqual(["+0.05", "-3", "0"]);
    expect([pct(0.1234), signedPct(-0.05), signedPct(0.5)]).toEqual(["12.3%", "-5.0%", "+50.0%"]);
    expect([pValue(0.03125), pValue(1e-7), pValue(1)]).toEqual(["0.0313", "< 0.0001", "1.0000"]);
    expect([usd(12.5), usd(0.000123), usd(0.0291234)]).toEqual(["$12.50", "$0.000123", "$0.0291"]);
    expect([bps(2500), bps(1234), bps(10000)]).toEqual(["25%", "12.34%", "100%"]);
    expect([when("2026-12-03T10:15:42.000Z"), when(null)]).toEqual(["2026-12-03 10:15 UTC", "—"]);
  });

  test("each metric reads in its unit", () => {
    expect([differenceOf("error_rate")(0.012), differenceOf("thumbs_up_rate")(-0.325), differenceOf("cost_per_call")(-0.002), differenceOf("latency_ms")(1006.2), differenceOf("ttft_ms")(0)]).toEqual(["+1.2 pp", "-32.5 pp", "-$0.002", "+1,006", "0"]);
    expect([formatOf("error_rate")(0.02), formatOf("custom:copied:rate")(0.5), formatOf("cost_per_call")(0.0021), formatOf("latency_ms")(911.5)]).toEqual(["2.0%", "50.0%", "$0.0021", "912"]);
  });

  test("a chart's range always holds zero, with room on both sides", () => {
    expect(span([0.1, 0.3]).map((x) => Number(x.toFixed(6)))).toEqual([-0.024, 0.324]);
    expect(span([-2, -1])).toEqual([-2.16, 0.16]);
    expect(span([])).toEqual([-0.08, 0.08]);
  });
});

describe("values and targeting in words", () => {
  test("model configs read as provider · model · params; other values as JSON", () => {
    expect(describeValue({ provider: "openai", model: "gpt-4", apiKeySecret: "OPENAI_API_KEY", params: { temperature: 0.3 } })).toBe("openai · gpt-4 · temperature 0.3 · key OPENAI_API_KEY");
    expect(describeValue({ provider: "fixed", answer: "Soon." })).toBe('fixed answer: "Soon."');
    expect([describeValue(true), describeValue("v2"), describeValue({ a: 1 })]).toEqual(["true", '"v2"', '{"a":1}']);
  });

  test("conditions, rules and windows", () => {
    expect(describeCondition({ attribute: "country", operator: "one_of", values: ["FR", "DE"] })).toBe("country is one of FR, DE");
    expect(describeCondition({ attribute: "beta", operator: "exists" })).toBe("beta is set");
    const a = { key: "a", splits: [], rules: [{ conditions: [{ attribute: "plan", operator: "eq" as const, value: "pro" }, { attribute: "age", operator: "gte" as const, value: 18 }] }, { conditions: [] }], endAt: "2027-01-01T00:00:00Z" };
    expect(targeting(a)).toBe("plan is pro and age ≥ 18; or everyone, until 2027-01-01T00:00:00Z");
    expect(targeting({ key: "b", splits: [] })).toBe("everyone");
    expect(splitShares([{ variant: "a", weight: 1 }, { variant: "b", weight: 3 }])).toBe("a 25%, b 75%");
    expect(splitShares([{ variant: "a", weight: 1 }, { variant: "b", weight: 1 }, { variant: "c", weight: 1 }])).toBe("a 33.33%, b 33.33%, c 33.33%");
  });
});

describe("ramp actions", () => {
  test("each is offered only in the states the Worker accepts it in", () => {
    const table = ["running", "held", "paused", "rolled_back", "completed"].map((s) => ["pause", "resume", "advance", "abort"].map((v) => notNow(v, s) === null));
    expect(table).toEqual([
      [true, false, true, true],
      [true, true, true, true],
      [false, true, true, true],
      [false, true, false, false],
      [false, false, false, true],
    ]);
    expect(notNow("resume", "running")).toBe("a running ramp cannot resume");
    expect(notNow("abort", "rolled_back")).toBe("a rolled back ramp cannot abort");
  });
});
