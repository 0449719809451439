/**
 * Turns the shared suite's results into vitest tests: one test per named case, plus one that
 * fails when the runtime ran too few cases (a runner that silently ran nothing must not pass).
 *
 * @module
 */
import { expect, test } from "vitest";
import type { CaseResult } from "./suite.ts";

/** At least this many cases: 200 hash vectors, 100 evaluation vectors, the fixtures, the properties. */
export const MIN_CASES = 330;

export function registerResults(runtime: string, results: CaseResult[]): void {
  test(`${runtime} ran the whole shared suite`, () => {
    expect(results.length).toBeGreaterThanOrEqual(MIN_CASES);
  });
  for (const r of results) {
    test(`${runtime}: ${r.name}`, () => {
      if (!r.ok) throw new Error(r.detail);
    });
  }
}
