import { describe, expect, test } from "vitest";
import { validate, SCHEMA_ID, schema } from "@edgeflag/config-schema";

const flag = (over: Record<string, unknown> = {}) => ({
  enabled: true,
  defaultVariant: "control",
  variants: { control: { value: "gpt-4o-mini" }, treatment: { value: "gpt-4o" } },
  allocations: [{ key: "exp", splits: [{ variant: "control", weight: 1 }, { variant: "treatment", weight: 1 }] }],
  ...over,
});
const errorsOf = (config: unknown) => {
  const r = validate(config);
  return r.valid ? [] : r.errors;
};

describe("validate", () => {
  test("the schema is draft 2020-12 and its $id carries /v1/", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(SCHEMA_ID).toMatch(/\/v1\//);
  });

  test("a valid config comes back typed, with no errors", () => {
    const r = validate({ flags: { "chat-model": flag() } });
    expect(r).toMatchObject({ valid: true, errors: [] });
  });

  test("every error is listed with its JSON pointer and a reason, schema and semantic alike", () => {
    const errors = errorsOf({
      bogus: true,
      flags: {
        a: flag({ defaultVariant: "nope" }),
        "b/c": flag({ enabled: "yes" }),
        d: flag({ allocations: [{ key: "x", splits: [{ variant: "control", weight: 0 }] }, { key: "x", splits: [{ variant: "ghost", weight: 1 }] }] }),
      },
    });
    expect(errors).toEqual(expect.arrayContaining([
      { pointer: "/bogus", message: "unknown field (not in the v1 schema)" },
      { pointer: "/flags/b~1c", message: "key must match ^[A-Za-z0-9_-]{1,64}$ (a flag or allocation key: 1 to 64 of A-Z a-z 0-9 _ -; never '.' or ':', as default salts are made of these keys)" },
      { pointer: "/flags/b~1c/enabled", message: 'must be of type boolean (got string)' },
      { pointer: "/flags/a/defaultVariant", message: 'defaultVariant names "nope", which the flag does not define' },
      { pointer: "/flags/d/allocations/0/splits/0/weight", message: "must be at least 1 (got 0)" },
      { pointer: "/flags/d/allocations/1/key", message: 'allocation key "x" is used twice in this flag' },
      { pointer: "/flags/d/allocations/1/splits/0/variant", message: 'split names variant "ghost", which the flag does not define' },
    ]));
  });

  test("a condition's operand is checked against its operator, with a readable message", () => {
    const cond = (c: Record<string, unknown>) => errorsOf({ flags: { f: flag({ allocations: [{ key: "a", rules: [{ conditions: [c] }], splits: [{ variant: "control", weight: 1 }] }] }) } });
    const at = "/flags/f/allocations/0/rules/0/conditions/0";
    expect(cond({ attribute: "country", operator: "one_of", value: "FR" })).toContainEqual({ pointer: at, message: 'operator "one_of" takes a non-empty "values" list' });
    expect(cond({ attribute: "age", operator: "gt", value: "18" })).toContainEqual({ pointer: `${at}/value`, message: 'operator "gt" takes a number "value"' });
    expect(cond({ attribute: "plan", operator: "exists", value: "pro" })).toContainEqual({ pointer: at, message: 'operator "exists" takes neither "value" nor "values"' });
    expect(cond({ attribute: "v", operator: "semver_gte", value: "1.2" })).toContainEqual({ pointer: `${at}/value`, message: 'operator "semver_gte" takes a SemVer "value" such as "1.2.3"' });
    expect(cond({ attribute: "email", operator: "matches", value: "([a-z]" })[0]).toMatchObject({ pointer: `${at}/value`, message: expect.stringMatching(/^pattern does not compile/) });
    expect(cond({ attribute: "email", operator: "matches", value: "a".repeat(257) })).toContainEqual(expect.objectContaining({ pointer: `${at}/value` }));
    expect(cond({ attribute: "x", operator: "like", value: "a" })).toContainEqual({ pointer: `${at}/operator`, message: expect.stringMatching(/^must be one of \["eq","neq",/) });
  });

  test("time windows, traffic ranges and salts are checked", () => {
    const alloc = (a: Record<string, unknown>) => errorsOf({ flags: { f: flag({ allocations: [{ key: "a", splits: [{ variant: "control", weight: 1 }], ...a }] }) } });
    expect(alloc({ startAt: "2026-02-01T00:00:00Z", endAt: "2026-01-01T00:00:00Z" })).toEqual([
      { pointer: "/flags/f/allocations/0/endAt", message: "endAt (2026-01-01T00:00:00Z) must be later than startAt (2026-02-01T00:00:00Z)" },
    ]);
    expect(alloc({ startAt: "tomorrow" })).toEqual([{ pointer: "/flags/f/allocations/0/startAt", message: "must be an RFC 3339 date-time such as 2026-01-01T00:00:00Z" }]);
    expect(alloc({ rollout: 6000, rolloutOffset: 5000 })).toEqual([
      { pointer: "/flags/f/allocations/0/rollout", message: "rolloutOffset + rollout is 11000; the traffic range must end at or before 10000" },
    ]);
    expect(alloc({ rollout: 10001 })).toContainEqual(expect.objectContaining({ pointer: "/flags/f/allocations/0/rollout" }));
    expect(alloc({ trafficSalt: "a.b" })).toContainEqual(expect.objectContaining({ pointer: "/flags/f/allocations/0/trafficSalt" }));
    expect(alloc({ splitSalt: "layer:1_x-2" })).toEqual([]);
  });

  test("anything that is not a config is refused without throwing", () => {
    for (const input of [null, 42, "flags", [], {}, { flags: [] }, { flags: { f: null } }]) {
      const r = validate(input);
      expect(r.valid).toBe(false);
      expect(r.errors.length).toBeGreaterThan(0);
      for (const e of r.errors) expect(typeof e.pointer).toBe("string");
    }
    expect(errorsOf({})).toEqual([{ pointer: "", message: 'missing required field "flags"' }]);
  });
});
