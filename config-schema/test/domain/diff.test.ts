// The shared config diff: flag by flag (publish --dry-run) and field by field (the dashboard's
// diff between two versions), with JSON pointers that escape "/" and "~".
import { describe, expect, test } from "vitest";
import type { FlagConfig } from "../../src/index.ts";
import { diffConfigs, diffPaths } from "../../src/domain/index.ts";

const flag = (enabled: boolean, weights = [1, 1]) => ({
  enabled,
  defaultVariant: "a",
  variants: { a: { value: { model: "gpt-4o" } }, b: { value: { model: "gpt-4o-mini" } } },
  allocations: [{ key: "exp", splits: weights.map((weight, i) => ({ variant: i === 0 ? "a" : "b", weight })) }],
});

describe("diffConfigs", () => {
  test("names the flags added, removed, changed and kept; key order does not count", () => {
    const before = { flags: { kept: flag(true), gone: flag(true), edited: flag(true) } } as unknown as FlagConfig;
    const reordered = { allocations: flag(true).allocations, variants: flag(true).variants, defaultVariant: "a", enabled: true };
    const after = { flags: { kept: reordered, edited: flag(false), fresh: flag(true) } } as unknown as FlagConfig;
    expect(diffConfigs(before, after)).toEqual({ added: ["fresh"], removed: ["gone"], changed: ["edited"], unchanged: ["kept"] });
    expect(diffConfigs(null, after).added).toEqual(["kept", "edited", "fresh"]);
  });
});

describe("diffPaths", () => {
  test("every differing field as a JSON pointer with its values", () => {
    const before = { flags: { "chat/model~x": flag(true, [1, 1]) } };
    const after = { flags: { "chat/model~x": { ...flag(false, [1, 3]), description: "new" } } };
    expect(diffPaths(before, after)).toEqual([
      { path: "/flags/chat~1model~0x/enabled", kind: "changed", before: true, after: false },
      { path: "/flags/chat~1model~0x/allocations/0/splits/1/weight", kind: "changed", before: 1, after: 3 },
      { path: "/flags/chat~1model~0x/description", kind: "added", after: "new" },
    ]);
  });

  test("array items added or removed at the end; a type change is one change; equal values none", () => {
    expect(diffPaths({ a: [1, 2, 3] }, { a: [1] })).toEqual([
      { path: "/a/1", kind: "removed", before: 2 },
      { path: "/a/2", kind: "removed", before: 3 },
    ]);
    expect(diffPaths({ a: [1] }, { a: [1, { b: 2 }] })).toEqual([{ path: "/a/1", kind: "added", after: { b: 2 } }]);
    expect(diffPaths({ v: { x: 1 } }, { v: "x" })).toEqual([{ path: "/v", kind: "changed", before: { x: 1 }, after: "x" }]);
    expect(diffPaths({ b: 1, a: { c: [1] } }, { a: { c: [1] }, b: 1 })).toEqual([]);
  });
});
