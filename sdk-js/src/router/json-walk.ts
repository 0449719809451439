/**
 * A look through a parsed JSON value for what the schema cannot see: nesting past a limit, and
 * strings or keys that are not well-formed UTF-16 (a lone surrogate, which D1 would store as
 * invalid UTF-8). Iterative, with a stack of its own, so a document nested 20,000 deep costs one
 * pass and never overflows the call stack.
 *
 * @module
 */
import { pointer } from "@edgeflag/config-schema";

/** In `u` mode a surrogate pair is one code point, so this finds only the lone halves. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** The first problem found, with the JSON pointer to it (relative to the value walked). */
export interface JsonProblem {
  kind: "too_deep" | "lone_surrogate";
  pointer: string;
}

/**
 * Walks `value` and returns its first problem, or null. `maxDepth` counts container levels: `{}`
 * is 1, `{"a": {}}` is 2.
 *
 * @example
 * findJsonProblem({ a: [[["x"]]] }, 3) // → { kind: "too_deep", pointer: "/a/0/0" }
 * findJsonProblem({ "\ud800": 1 }, 32) // → { kind: "lone_surrogate", pointer: "/\ud800" }
 */
export function findJsonProblem(value: unknown, maxDepth: number): JsonProblem | null {
  const stack: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === "string") {
      if (LONE_SURROGATE.test(value)) return { kind: "lone_surrogate", pointer: pointer(...path) };
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (path.length >= maxDepth) return { kind: "too_deep", pointer: pointer(...path) };
    for (const [key, child] of Object.entries(value)) {
      if (LONE_SURROGATE.test(key)) return { kind: "lone_surrogate", pointer: pointer(...path, key) };
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return null;
}
