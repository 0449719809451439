// Closeness checks shared by the stats tests: every number against scipy to 1e-6 relative.
import { expect } from "vitest";

/**
 * Asserts |actual − expected| ≤ max(rel·|expected|, abs). The absolute floor only matters for
 * values near 0 (an interval bound that crosses it); tails such as 1e-24 are checked relatively.
 *
 * @example
 * expectClose(normalSf(10), 7.619853024160527e-24);
 */
export function expectClose(actual: number, expected: number, rel = 1e-6, abs = 1e-300, label = ""): void {
  if (Number.isNaN(actual) || Math.abs(actual - expected) > Math.max(rel * Math.abs(expected), abs)) {
    expect.fail(`${label}: got ${actual}, expected ${expected} (rel ${rel}, abs ${abs}; off by ${Math.abs(actual - expected) / Math.abs(expected)} relative)`);
  }
}

/**
 * Walks `expected` (a fixture) and checks every number in `actual` with {@link expectClose};
 * null, strings and booleans must match exactly. Keys absent from `expected` are not checked.
 *
 * @example
 * expectDeepClose(compareMeans(c, t), fixture.expected);
 */
export function expectDeepClose(actual: unknown, expected: unknown, rel = 1e-6, abs = 1e-12, path = "$"): void {
  if (typeof expected === "number") {
    expect(typeof actual, path).toBe("number");
    expectClose(actual as number, expected, rel, abs, path);
  } else if (expected === null || typeof expected !== "object") {
    expect(actual, path).toBe(expected);
  } else {
    expect(actual, path).toBeTypeOf("object");
    expect(actual, path).not.toBeNull();
    for (const [key, value] of Object.entries(expected)) {
      expectDeepClose((actual as Record<string, unknown>)[key], value, rel, abs, `${path}.${key}`);
    }
  }
}
