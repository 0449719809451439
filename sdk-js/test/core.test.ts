// Behaviour of the core beyond the shared vectors: it never throws, never leaks mutable state,
// and does not mutate the caller's config.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { compileConfig, evaluate, parseSemver, compareSemver } from "@edgeflag/sdk/core";
import type { FlagConfig } from "@edgeflag/config-schema";

const config = (): FlagConfig => ({
  flags: {
    model: {
      enabled: true,
      defaultVariant: "small",
      variants: { small: { value: { model: "gpt-4o-mini", temperature: 0.2 } }, large: { value: { model: "gpt-4o" } } },
      allocations: [{ key: "exp", splits: [{ variant: "small", weight: 1 }, { variant: "large", weight: 1 }], log: true }],
    },
  },
});

describe("core", () => {
  test("evaluation never throws, whatever it is given", () => {
    const garbage: unknown[] = [null, undefined, 1, "x", [], {}, { flags: null }, { flags: { f: 1 } }, { flags: { f: { enabled: true } } },
      { flags: { f: { enabled: true, variants: { a: { value: 1 } }, defaultVariant: "a", allocations: [{ key: "x", splits: "no" }] } } },
      { flags: { f: { enabled: true, variants: { a: { value: 1 } }, defaultVariant: "a", allocations: [{ key: "x", rules: [{ conditions: [{ attribute: "a", operator: "??" }] }], splits: [{ variant: "a", weight: 1 }] }] } } }];
    const contexts: unknown[] = [null, undefined, {}, { subject: 5 }, { subject: "u", attributes: "x" }, { subject: "u", attributes: { a: {} } }, { subject: "u", now: "soon" }];
    for (const g of garbage) {
      const compiled = compileConfig(g as FlagConfig);
      for (const c of contexts) {
        const r = evaluate(compiled, "f", c as never, "fallback");
        expect(r.reason === "ERROR" || r.reason === "FLAG_NOT_FOUND").toBe(true);
        expect(r.value).toBe("fallback");
      }
    }
  });

  test("a broken flag says why, and the rest of the config still works", () => {
    const c = config();
    c.flags.broken = { ...c.flags.model!, defaultVariant: "missing" };
    const compiled = compileConfig(c);
    expect(evaluate(compiled, "broken", { subject: "u" }, "dflt")).toEqual({
      flag: "broken", variant: null, value: "dflt", allocation: null, reason: "ERROR", log: false,
      errorCode: "INVALID_FLAG", errorMessage: '/flags/broken: defaultVariant names "missing", which the flag does not define',
    });
    expect(evaluate(compiled, "model", { subject: "u" }).reason).toBe("SPLIT");
  });

  test("every valid schema fixture compiles with no broken flag (the client's content check)", () => {
    const fixtures = new URL("../../config-schema/vectors/valid/", import.meta.url);
    for (const file of readdirSync(fixtures)) {
      const compiled = compileConfig(JSON.parse(readFileSync(new URL(file, fixtures), "utf8")));
      expect([compiled.error, [...compiled.flags.values()].filter((f) => !f.ok)], file).toEqual([undefined, []]);
    }
  });

  test("a flag of the wrong shape is broken, with a message naming the field", () => {
    const flag = () => structuredClone(config().flags.model!) as unknown as Record<string, unknown> & { allocations: Array<Record<string, unknown>> };
    const cases: Array<[string, (f: ReturnType<typeof flag>) => unknown, string]> = [
      ["a flag that is not an object", () => null, "enabled must be a boolean"],
      ["enabled that is not a boolean", (f) => ({ ...f, enabled: "yes" }), "enabled must be a boolean"],
      ["variants that are not an object", (f) => ({ ...f, variants: ["small"] }), "variants must be an object"],
      ["a variant without a value", (f) => ({ ...f, variants: { small: {}, large: { value: 1 } } }), "variants/small has no value"],
      ["no allocations", (f) => ({ ...f, allocations: undefined }), "allocations must be an array"],
      ["an allocation that is not an object", (f) => ({ ...f, allocations: [null] }), "allocations/0/key must be a string"],
      ["an allocation key that is not a string", (f) => ({ ...f, allocations: [{ ...f.allocations[0], key: 7 }] }), "allocations/0/key must be a string"],
      ["splits that are not an array", (f) => ({ ...f, allocations: [{ ...f.allocations[0], splits: {} }] }), "allocations/0/splits must be an array"],
    ];
    for (const [name, breakIt, message] of cases) {
      const compiled = compileConfig({ flags: { f: breakIt(flag()), model: config().flags.model } } as unknown as FlagConfig);
      expect(evaluate(compiled, "f", { subject: "u" }, "dflt"), name).toMatchObject({ value: "dflt", reason: "ERROR", errorCode: "INVALID_FLAG", errorMessage: `/flags/f: ${message}` });
      expect(evaluate(compiled, "model", { subject: "u" }).reason, name).toBe("SPLIT");
    }
  });

  test("results and values are frozen and the caller's config is left untouched", () => {
    const c = config();
    const r = evaluate(compileConfig(c), "model", { subject: "user-1" });
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.value)).toBe(true);
    expect(Object.isFrozen(c.flags.model!.variants.small!.value)).toBe(false);
    expect(() => ((r.value as { model: string }).model = "hacked")).toThrow(TypeError);
  });

  test("an inherited property such as `constructor` is not an attribute", () => {
    const c: FlagConfig = { flags: { f: { enabled: true, defaultVariant: "off", variants: { off: { value: false }, on: { value: true } },
      allocations: [{ key: "a", rules: [{ conditions: [{ attribute: "constructor", operator: "exists" }] }], splits: [{ variant: "on", weight: 1 }] }] } } };
    expect(evaluate(compileConfig(c), "f", { subject: "u", attributes: {} }).variant).toBe("off");
  });

  test("SemVer precedence follows semver.org §11", () => {
    const order = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"];
    for (let i = 1; i < order.length; i++) expect(compareSemver(parseSemver(order[i - 1]!)!, parseSemver(order[i]!)!)).toBeLessThan(0);
    expect(compareSemver(parseSemver("v1.2.3+build.9")!, parseSemver("1.2.3")!)).toBe(0);
    expect(parseSemver("1.2")).toBeNull();
    expect(parseSemver("01.2.3")).toBeNull();
  });

  test("before/after read strict RFC 3339: out-of-range fields are not dates in any engine", () => {
    const c: FlagConfig = { flags: { f: { enabled: true, defaultVariant: "off", variants: { off: { value: false }, on: { value: true } },
      allocations: [{ key: "a", rules: [{ conditions: [{ attribute: "signup", operator: "before", value: "2025-01-01T00:00:00Z" }] }], splits: [{ variant: "on", weight: 1 }] }] } } };
    const compiled = compileConfig(c);
    const at = (signup: string) => evaluate(compiled, "f", { subject: "u", attributes: { signup } }).variant;
    expect(at("2024-02-29T12:00:00Z")).toBe("on");
    expect(at("2024-02-30T12:00:00Z")).toBe("off");
    expect(at("2023-02-29T12:00:00Z")).toBe("off");
    expect(at("2024-06-01T24:00:00Z")).toBe("off");
    expect(at("2024-06-01")).toBe("off");
    expect(at("2024-06-01t10:00:00+02:00")).toBe("on");
  });
});
