/**
 * Refusing `matches` patterns that can backtrack catastrophically: `^(a+)+$` blocks an evaluator
 * for seconds on a 28-character attribute, in every runtime that evaluates the config. The check
 * is redos-detector's, bounded by steps rather than time, so the same config gets the same answer
 * on every machine; a pattern it cannot prove safe within that bound is refused too. It runs in
 * `validate()` (the CLI, the admin API, signing), never in the script tag, which only runs
 * configs that were validated before they were signed.
 *
 * @module
 */
import { isSafe } from "redos-detector";

/** Distinct patterns one config may hold, which bounds what validating a hostile config costs. */
export const MAX_PATTERNS = 32;
/** redos-detector's search budget per pattern: about 0.1–0.8 s at worst on a shared core. */
const MAX_STEPS = 400;

/**
 * Why `pattern` may backtrack catastrophically, or null when it provably does not.
 *
 * @example
 * backtrackingRisk("^(a+)+$") // → 'pattern can backtrack catastrophically: …'
 * backtrackingRisk("^gpt-4(o|-turbo)?$") // → null
 */
export function backtrackingRisk(pattern: string): string | null {
  let result: ReturnType<typeof isSafe>;
  try {
    result = isSafe(new RegExp(pattern), { maxSteps: MAX_STEPS });
  } catch (e) {
    return `pattern uses syntax the backtracking check cannot analyse (${(e as Error).message}); rewrite it without it`;
  }
  if (result.safe) return null;
  if (result.error === "hitMaxSteps" || result.error === "timedOut") {
    return "pattern is too complex to prove free of catastrophic backtracking; simplify it (fewer alternatives and repeated groups)";
  }
  return "pattern can backtrack catastrophically: a repeated part can match the same text in more than one way (as in (a+)+ or (a|a)*), so matching time can explode with the attribute's length; rewrite it so that each character can be matched one way only";
}
