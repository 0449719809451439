// Generates config-schema/vectors/evaluation.json: the evaluation test vectors every runtime replays.
//
//   npx node config-schema/scripts/gen-eval-vectors.mjs        (from the repo root)
//
// The expected outcomes are derived from config-schema/SPEC.md, never from an edgeflag evaluator:
// - non-hash cases state their expected variant by hand;
// - hash-dependent cases compute buckets here with the independent `murmurhash3js-revisited`
//   package and the SPEC's range arithmetic (Bi = floor(Ci * 10000 / W), Bn = 10000). Subjects are
//   found by a deterministic search so that every such case shows something (inside / outside a
//   range, exactly on a boundary...), and the bucket is recorded in the case's `note`.
// The output is deterministic: no clock, no randomness.

import mm from "murmurhash3js-revisited";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const OUT = join(dirname(fileURLToPath(import.meta.url)), "..", "vectors", "evaluation.json");

// ---------------------------------------------------------------------------------------------
// SPEC §1: hash and bucket
// ---------------------------------------------------------------------------------------------

const utf8 = new TextEncoder();
const murmur = (s) => mm.x86.hash32(utf8.encode(s), 0);
function bucket(salt, subject) {
  return Math.floor((murmur(salt + "." + subject) * 10000) / 2 ** 32);
}

function assert(cond, msg) {
  if (!cond) throw new Error("gen-eval-vectors: " + msg);
}
// Guard the hash against the SPEC's reference values before trusting it.
assert(murmur("") === 0, "murmur('') must be 0");
assert(murmur("The quick brown fox jumps over the lazy dog") === 0x2e4ff723, "murmur(fox) must be 0x2E4FF723");
assert(murmur("\uD800") === murmur("\uFFFD"), "a lone surrogate must hash like U+FFFD");

// Deterministic subject search: the first `${prefix}-${i}` satisfying `pred`.
function findSubject(prefix, pred) {
  for (let i = 0; i < 2_000_000; i++) {
    const s = `${prefix}-${i}`;
    if (pred(s)) return s;
  }
  throw new Error(`no subject found for ${prefix}`);
}

// ---------------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------------

const ms = (iso) => {
  const t = Date.parse(iso);
  assert(Number.isInteger(t), "bad date " + iso);
  return t;
};
const NOW = 1767225600000; // 2026-01-01T00:00:00Z
assert(ms("2026-01-01T00:00:00Z") === NOW, "NOW");

// ---------------------------------------------------------------------------------------------
// Config builders
// ---------------------------------------------------------------------------------------------

const ONOFF = () => ({ on: { value: true }, off: { value: false } });
const c = (attribute, operator, value) =>
  operator === "exists" || operator === "not_exists"
    ? { attribute, operator }
    : Array.isArray(value)
      ? { attribute, operator, values: value }
      : { attribute, operator, value };
/** A boolean flag: `on` when the one condition holds, else the default `off`. */
const condFlag = (...conds) => ({
  enabled: true,
  variants: ONOFF(),
  defaultVariant: "off",
  allocations: [{ key: "match", rules: [{ conditions: conds }], splits: [{ variant: "on", weight: 1 }] }],
});
const flagWith = (allocations, extra = {}) => ({
  enabled: true,
  variants: ONOFF(),
  defaultVariant: "off",
  ...extra,
  allocations,
});
const one = (variant) => [{ variant, weight: 1 }];

// ---------------------------------------------------------------------------------------------
// Configs
// ---------------------------------------------------------------------------------------------

const configs = {};

configs.operators = {
  description: "One boolean flag per operator: variant 'on' (true) when the condition holds, else the default 'off' (false).",
  flags: {
    "op-eq": condFlag(c("plan", "eq", "pro")),
    "op-eq-number": condFlag(c("seats", "eq", 5)),
    "op-eq-boolean": condFlag(c("beta", "eq", true)),
    "op-neq": condFlag(c("plan", "neq", "free")),
    "op-one-of": condFlag(c("country", "one_of", ["US", "CA"])),
    "op-one-of-number": condFlag(c("tier", "one_of", [1, 2])),
    "op-not-one-of": condFlag(c("country", "not_one_of", ["US", "CA"])),
    "op-contains": condFlag(c("email", "contains", "@acme.")),
    "op-starts-with": condFlag(c("path", "starts_with", "/beta/")),
    "op-ends-with": condFlag(c("email", "ends_with", "@acme.com")),
    "op-matches": condFlag(c("email", "matches", "^[a-z]+@acme\\.com$")),
    "op-matches-unanchored": condFlag(c("userAgent", "matches", "Chrome/1[2-9][0-9]\\.")),
    "op-not-matches": condFlag(c("email", "not_matches", "@acme\\.com$")),
    "op-gt": condFlag(c("age", "gt", 18)),
    "op-gte": condFlag(c("age", "gte", 18)),
    "op-lt": condFlag(c("latencyMs", "lt", 100)),
    "op-lte": condFlag(c("latencyMs", "lte", 100)),
    "op-semver-eq": condFlag(c("appVersion", "semver_eq", "1.2.3")),
    "op-semver-gt": condFlag(c("appVersion", "semver_gt", "2.0.0")),
    "op-semver-gt-prerelease": condFlag(c("appVersion", "semver_gt", "1.0.0-beta.2")),
    "op-semver-gte": condFlag(c("appVersion", "semver_gte", "2.0.0")),
    "op-semver-lt": condFlag(c("appVersion", "semver_lt", "2.0.0")),
    "op-semver-lte": condFlag(c("appVersion", "semver_lte", "v2.0.0")),
    "op-before": condFlag(c("signupAt", "before", "2026-01-01T00:00:00Z")),
    "op-after": condFlag(c("signupAt", "after", "2026-01-01T00:00:00Z")),
    "op-exists": condFlag(c("plan", "exists")),
    "op-not-exists": condFlag(c("plan", "not_exists")),
  },
};

configs.rules = {
  description: "Rules are ORed, conditions are ANDed; empty rules and empty conditions match everyone; allocations are walked in order.",
  flags: {
    "or-and": flagWith([
      {
        key: "match",
        rules: [
          { description: "US pro customers", conditions: [c("country", "eq", "US"), c("plan", "eq", "pro")] },
          { description: "employees", conditions: [c("email", "ends_with", "@acme.com")] },
        ],
        splits: one("on"),
      },
    ]),
    "empty-rules": flagWith([{ key: "everyone", rules: [], splits: one("on") }]),
    "absent-rules": flagWith([{ key: "everyone", splits: one("on") }]),
    "empty-conditions": flagWith([{ key: "everyone", rules: [{ conditions: [] }], splits: one("on") }]),
    "empty-conditions-second-rule": flagWith([
      { key: "everyone", rules: [{ conditions: [c("plan", "eq", "enterprise")] }, { conditions: [] }], splits: one("on") },
    ]),
    "first-match-wins": {
      enabled: true,
      variants: { blue: { value: "blue" }, green: { value: "green" }, grey: { value: "grey" } },
      defaultVariant: "grey",
      allocations: [
        { key: "employees", rules: [{ conditions: [c("email", "ends_with", "@acme.com")] }], splits: one("blue") },
        { key: "pro", rules: [{ conditions: [c("plan", "eq", "pro")] }], splits: one("green"), log: true },
        { key: "everyone", splits: one("green") },
      ],
    },
    "fall-through": {
      enabled: true,
      variants: { control: { value: "control" }, a: { value: "a" }, b: { value: "b" } },
      defaultVariant: "control",
      allocations: [
        { key: "pro", rules: [{ conditions: [c("plan", "eq", "pro")] }], splits: one("a") },
        { key: "us", rules: [{ conditions: [c("country", "eq", "US")] }], splits: one("b") },
      ],
    },
    "no-allocations": flagWith([]),
  },
};

configs.time = {
  description: "Allocation time windows: startAt inclusive, endAt exclusive.",
  flags: {
    window: flagWith([{ key: "launch", startAt: "2026-02-01T00:00:00Z", endAt: "2026-03-01T00:00:00Z", splits: one("on") }]),
    "only-start": flagWith([{ key: "launch", startAt: "2026-02-01T00:00:00Z", splits: one("on") }]),
    "only-end": flagWith([{ key: "promo", endAt: "2026-03-01T00:00:00Z", splits: one("on") }]),
    "window-offset": flagWith([
      { key: "launch", startAt: "2026-02-01T09:00:00+09:00", endAt: "2026-02-28T19:00:00-05:00", splits: one("on") },
    ]),
    "window-then-rules": {
      enabled: true,
      variants: { sale: { value: { discountPct: 20 } }, regular: { value: { discountPct: 0 } } },
      defaultVariant: "regular",
      allocations: [
        {
          key: "sale",
          startAt: "2026-02-01T00:00:00Z",
          endAt: "2026-03-01T00:00:00Z",
          rules: [{ conditions: [c("plan", "eq", "pro")] }],
          splits: one("sale"),
        },
      ],
    },
  },
};

configs.rollout = {
  description: "Traffic ranges: rollout (width) and rolloutOffset (start) of the traffic bucket.",
  flags: {
    nobody: flagWith([{ key: "ramp", rollout: 0, splits: one("on"), log: true }]),
    everybody: flagWith([{ key: "ramp", rollout: 10000, splits: one("on") }]),
    "everybody-explicit-offset": flagWith([{ key: "ramp", rolloutOffset: 0, rollout: 10000, splits: one("on") }]),
    partial: flagWith([{ key: "ramp", rollout: 2500, splits: one("on") }]),
    "offset-range": flagWith([{ key: "slice", rolloutOffset: 4000, rollout: 1000, splits: one("on") }]),
    "offset-top": flagWith([{ key: "slice", rolloutOffset: 9000, rollout: 1000, splits: one("on") }]),
    "rules-and-rollout": flagWith([
      { key: "pro-ramp", rules: [{ conditions: [c("plan", "eq", "pro")] }], rollout: 3000, splits: one("on") },
    ]),
    "rollout-then-fallback": {
      enabled: true,
      variants: { v1: { value: "v1" }, v2: { value: "v2" } },
      defaultVariant: "v1",
      allocations: [
        { key: "ramp-v2", rollout: 1000, splits: one("v2") },
        { key: "rest", splits: one("v1") },
      ],
    },
  },
};

const modelSmall = { model: "gpt-4o-mini", temperature: 0.2 };
const modelLarge = { model: "gpt-4o", temperature: 0.2 };
const rampFlag = (rollout) => ({
  enabled: true,
  variants: { small: { value: modelSmall }, large: { value: modelLarge } },
  defaultVariant: "small",
  allocations: [{ key: "ramp", rollout, splits: [{ variant: "small", weight: 1 }, { variant: "large", weight: 1 }], log: true }],
});
configs["ramp-5pct"] = {
  description: "Model experiment on 5% of traffic (rollout 500).",
  flags: { "summarizer-model": rampFlag(500) },
};
configs["ramp-25pct"] = {
  description: "The same model experiment ramped to 25% of traffic (rollout 2500): same flag, allocation and salts.",
  flags: { "summarizer-model": rampFlag(2500) },
};
const weightFlag = (wa, wb) => ({
  enabled: true,
  variants: { terse: { value: "terse" }, verbose: { value: "verbose" } },
  defaultVariant: "terse",
  allocations: [{ key: "exp", splits: [{ variant: "terse", weight: wa }, { variant: "verbose", weight: wb }], log: true }],
});
configs["weights-50-50"] = { description: "answer-style split 50/50.", flags: { "answer-style": weightFlag(50, 50) } };
configs["weights-20-80"] = {
  description: "answer-style re-weighted 20/80: only split buckets in [2000, 5000) change hands.",
  flags: { "answer-style": weightFlag(20, 80) },
};

const ABC = () => ({ a: { value: "a" }, b: { value: "b" }, c: { value: "c" } });
configs.splits = {
  description: "Weighted splits of the split bucket.",
  flags: {
    "one-to-three": {
      enabled: true,
      variants: { a: { value: "a" }, b: { value: "b" } },
      defaultVariant: "a",
      allocations: [{ key: "exp", splits: [{ variant: "a", weight: 1 }, { variant: "b", weight: 3 }] }],
    },
    "fifty-fifty": {
      enabled: true,
      variants: { control: { value: "control" }, treatment: { value: "treatment" } },
      defaultVariant: "control",
      allocations: [{ key: "exp", splits: [{ variant: "control", weight: 50 }, { variant: "treatment", weight: 50 }], log: true }],
    },
    "three-way": {
      enabled: true,
      variants: ABC(),
      defaultVariant: "a",
      allocations: [
        { key: "exp", splits: [{ variant: "a", weight: 1 }, { variant: "b", weight: 1 }, { variant: "c", weight: 1 }], log: false },
      ],
    },
    "quarter-weights": {
      enabled: true,
      variants: { a: { value: "a" }, b: { value: "b" } },
      defaultVariant: "a",
      allocations: [{ key: "exp", splits: [{ variant: "a", weight: 1 }, { variant: "b", weight: 3 }] }],
    },
    "custom-salts": {
      enabled: true,
      variants: { control: { value: "control" }, treatment: { value: "treatment" } },
      defaultVariant: "control",
      allocations: [
        {
          key: "exp",
          trafficSalt: "exp-2026-q1:traffic",
          splitSalt: "exp-2026-q1:split",
          rollout: 5000,
          splits: [{ variant: "control", weight: 1 }, { variant: "treatment", weight: 1 }],
          log: true,
        },
      ],
    },
    "single-split": {
      enabled: true,
      variants: { control: { value: "control" }, treatment: { value: "treatment" } },
      defaultVariant: "control",
      allocations: [{ key: "exp", splits: [{ variant: "treatment", weight: 7 }], log: true }],
    },
    "unicode-split": {
      enabled: true,
      variants: { a: { value: "a" }, b: { value: "b" } },
      defaultVariant: "a",
      allocations: [{ key: "exp", splits: [{ variant: "a", weight: 1 }, { variant: "b", weight: 1 }] }],
    },
  },
};

const gpt35 = { model: "gpt-3.5-turbo", temperature: 0.7, maxTokens: 512 };
const gpt4 = {
  model: "gpt-4",
  temperature: 0.2,
  maxTokens: 1024,
  systemPrompt: "You are a careful support assistant. Cite the help-center article you used.",
};
const fixedAnswer = { model: null, fixedAnswer: "Thanks for reaching out! A human will reply within one business day." };
configs.llm = {
  description: "An LLM model experiment with a 10% holdout, plus two prompt experiments layered on one traffic salt.",
  flags: {
    "chat-model": {
      enabled: true,
      description: "gpt-3.5 vs gpt-4 vs a fixed answer, with a 10% holdout on the current model.",
      owner: "ml-platform",
      tags: ["llm", "experiment"],
      variants: {
        "gpt-3_5": { value: gpt35, description: "current production model" },
        "gpt-4": { value: gpt4 },
        fixed: { value: fixedAnswer, description: "no model call" },
      },
      defaultVariant: "gpt-3_5",
      allocations: [
        { key: "holdout", description: "10% long-term holdout", trafficSalt: "chat-holdout", rollout: 1000, splits: one("gpt-3_5"), log: true },
        { key: "employees", rules: [{ conditions: [c("email", "ends_with", "@acme.com")] }], splits: one("gpt-4") },
        {
          key: "experiment",
          splits: [{ variant: "gpt-3_5", weight: 1 }, { variant: "gpt-4", weight: 1 }, { variant: "fixed", weight: 1 }],
          log: true,
        },
      ],
    },
    "prompt-style": {
      enabled: true,
      variants: {
        control: { value: "You are a helpful assistant." },
        concise: { value: "You are a helpful assistant. Answer in at most three sentences." },
      },
      defaultVariant: "control",
      allocations: [
        {
          key: "exp",
          trafficSalt: "layer-chat",
          rolloutOffset: 0,
          rollout: 5000,
          splits: [{ variant: "control", weight: 1 }, { variant: "concise", weight: 1 }],
          log: true,
        },
      ],
    },
    "retrieval-depth": {
      enabled: true,
      variants: { k4: { value: 4 }, k8: { value: 8 } },
      defaultVariant: "k4",
      allocations: [
        {
          key: "exp",
          trafficSalt: "layer-chat",
          rolloutOffset: 5000,
          rollout: 5000,
          splits: [{ variant: "k4", weight: 1 }, { variant: "k8", weight: 1 }],
          log: true,
        },
      ],
    },
  },
};

configs.values = {
  description: "Variant values of every JSON type.",
  flags: {
    "string-value": {
      enabled: true,
      variants: { mini: { value: "gpt-4o-mini" }, full: { value: "gpt-4o" } },
      defaultVariant: "mini",
      allocations: [{ key: "pro", rules: [{ conditions: [c("plan", "eq", "pro")] }], splits: one("full") }],
    },
    "number-value": {
      enabled: true,
      variants: { cold: { value: 0 }, warm: { value: 0.7 }, tokens: { value: 4096 } },
      defaultVariant: "cold",
      allocations: [
        { key: "creative", rules: [{ conditions: [c("task", "eq", "brainstorm")] }], splits: one("warm") },
        { key: "long", rules: [{ conditions: [c("task", "eq", "summarize")] }], splits: one("tokens") },
      ],
    },
    "boolean-value": {
      enabled: true,
      variants: { yes: { value: true }, no: { value: false } },
      defaultVariant: "yes",
      allocations: [{ key: "opt-out", rules: [{ conditions: [c("optOut", "eq", true)] }], splits: one("no") }],
    },
    "null-value": {
      enabled: true,
      variants: { none: { value: null }, banner: { value: "New: faster answers" } },
      defaultVariant: "none",
      allocations: [{ key: "pro", rules: [{ conditions: [c("plan", "eq", "pro")] }], splits: one("banner") }],
    },
    "null-served": {
      enabled: true,
      variants: { prompt: { value: "Summarize the thread." }, "no-prompt": { value: null } },
      defaultVariant: "prompt",
      allocations: [{ key: "everyone", splits: one("no-prompt") }],
    },
    "object-value": {
      enabled: true,
      variants: {
        small: { value: { provider: "openai", model: "gpt-4o-mini", params: { temperature: 0.3, top_p: 1 }, tools: [] } },
        large: {
          value: { provider: "openai", model: "gpt-4o", params: { temperature: 0.3, top_p: 1 }, tools: ["search", "calculator"] },
        },
      },
      defaultVariant: "small",
      allocations: [{ key: "enterprise", rules: [{ conditions: [c("plan", "eq", "enterprise")] }], splits: one("large") }],
    },
    "array-value": {
      enabled: true,
      variants: { short: { value: ["search"] }, long: { value: ["search", "browse", "code"] } },
      defaultVariant: "short",
      allocations: [{ key: "everyone", splits: one("long") }],
    },
  },
};

configs.misc = {
  description: "Disabled flags, log flags, and the context checks.",
  flags: {
    "kill-switch": {
      enabled: false,
      variants: ONOFF(),
      defaultVariant: "off",
      allocations: [{ key: "everyone", splits: one("on"), log: true }],
    },
    "disabled-model": {
      enabled: false,
      variants: { small: { value: modelSmall }, large: { value: modelLarge } },
      defaultVariant: "large",
      allocations: [{ key: "exp", splits: [{ variant: "small", weight: 1 }, { variant: "large", weight: 1 }], log: true }],
    },
    "targeted-logged": flagWith([{ key: "beta", rules: [{ conditions: [c("beta", "eq", true)] }], splits: one("on"), log: true }]),
    "targeted-log-false": flagWith([{ key: "beta", rules: [{ conditions: [c("beta", "eq", true)] }], splits: one("on"), log: false }]),
    everyone: flagWith([{ key: "everyone", splits: one("on") }]),
  },
};

// A config whose flags are broken one at a time (this document would NOT pass validate()).
configs.broken = {
  description: "Broken flags: each evaluates to ERROR/INVALID_FLAG; a broken flag breaks only itself.",
  flags: {
    healthy: flagWith([{ key: "everyone", splits: one("on") }]),
    "split-unknown-variant": flagWith([
      { key: "exp", splits: [{ variant: "on", weight: 1 }, { variant: "ghost", weight: 1 }] },
    ]),
    "default-unknown-variant": flagWith([{ key: "everyone", splits: one("on") }], { defaultVariant: "ghost" }),
    "regex-does-not-compile": condFlag(c("email", "matches", "(")),
    "not-matches-does-not-compile": condFlag(c("email", "not_matches", "[a-")),
    "bad-semver": condFlag(c("appVersion", "semver_gte", "1.2")),
    "bad-date": condFlag(c("signupAt", "after", "next tuesday")),
    "bad-start-at": flagWith([{ key: "launch", startAt: "soon", splits: one("on") }]),
    "allocations-not-array": {
      enabled: true,
      variants: ONOFF(),
      defaultVariant: "off",
      allocations: { key: "everyone", splits: one("on") },
    },
    "unreached-bad-regex": flagWith([
      { key: "everyone", splits: one("on") },
      { key: "never", rules: [{ conditions: [c("email", "matches", "(")] }], splits: one("off") },
    ]),
    "disabled-unknown-default": flagWith([{ key: "everyone", splits: one("on") }], { enabled: false, defaultVariant: "ghost" }),
    "disabled-bad-regex": {
      ...condFlag(c("email", "matches", "(")),
      enabled: false,
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Expected outcomes (SPEC §2)
// ---------------------------------------------------------------------------------------------

const flagOf = (cfg, flag) => {
  const f = configs[cfg]?.flags?.[flag];
  assert(f, `no flag ${cfg}/${flag}`);
  return f;
};
const allocOf = (cfg, flag, key) => {
  const a = flagOf(cfg, flag).allocations.find((x) => x.key === key);
  assert(a, `no allocation ${cfg}/${flag}/${key}`);
  return a;
};
/** The allocation `allocKey` decided and served `variant` (SPEC §2.4). */
function served(cfg, flag, allocKey, variant) {
  const f = flagOf(cfg, flag);
  const a = allocOf(cfg, flag, allocKey);
  assert(a.splits.some((s) => s.variant === variant), `${variant} not a split of ${flag}/${allocKey}`);
  assert(variant in f.variants, `${variant} not a variant of ${flag}`);
  return {
    variant,
    value: f.variants[variant].value,
    reason: a.splits.length >= 2 ? "SPLIT" : "TARGETING_MATCH",
    allocation: allocKey,
    log: a.log ?? false,
  };
}
function fallback(cfg, flag, reason) {
  const f = flagOf(cfg, flag);
  return { variant: f.defaultVariant, value: f.variants[f.defaultVariant].value, reason, allocation: null, log: false };
}
const byDefault = (cfg, flag) => fallback(cfg, flag, "DEFAULT");
const disabled = (cfg, flag) => {
  assert(flagOf(cfg, flag).enabled === false, `${flag} is not disabled`);
  return fallback(cfg, flag, "DISABLED");
};
const notFound = (dflt) => ({ variant: null, value: dflt, reason: "FLAG_NOT_FOUND", allocation: null, log: false });
const error = (dflt, errorCode) => ({ variant: null, value: dflt, reason: "ERROR", allocation: null, log: false, errorCode });

// Buckets of an allocation (SPEC §2.4).
const trafficSalt = (flag, a) => a.trafficSalt ?? `${flag}:${a.key}:traffic`;
const splitSalt = (flag, a) => a.splitSalt ?? `${flag}:${a.key}:split`;
const trafficBucket = (cfg, flag, key, subject) => bucket(trafficSalt(flag, allocOf(cfg, flag, key)), subject);
const splitBucket = (cfg, flag, key, subject) => bucket(splitSalt(flag, allocOf(cfg, flag, key)), subject);
function inTraffic(cfg, flag, key, subject) {
  const a = allocOf(cfg, flag, key);
  const offset = a.rolloutOffset ?? 0;
  const width = a.rollout ?? 10000;
  if (offset === 0 && width === 10000) return true;
  const b = bucket(trafficSalt(flag, a), subject);
  return offset <= b && b < offset + width;
}
function boundaries(splits) {
  const W = splits.reduce((s, x) => s + x.weight, 0);
  let C = 0;
  return splits.map((s, i) => {
    C += s.weight;
    return i === splits.length - 1 ? 10000 : Math.floor((C * 10000) / W);
  });
}
function splitVariant(cfg, flag, key, subject) {
  const a = allocOf(cfg, flag, key);
  if (a.splits.length === 1) return a.splits[0].variant;
  const B = boundaries(a.splits);
  const b = bucket(splitSalt(flag, a), subject);
  return a.splits[B.findIndex((Bi) => b < Bi)].variant;
}
assert(JSON.stringify(boundaries([{ weight: 1 }, { weight: 1 }, { weight: 1 }])) === "[3333,6666,10000]", "1/1/1 boundaries");
assert(JSON.stringify(boundaries([{ weight: 1 }, { weight: 3 }])) === "[2500,10000]", "1:3 boundaries");
assert(JSON.stringify(boundaries([{ weight: 1 }, { weight: 3 }])) === "[2500,10000]", "1:3 boundaries");

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

const cases = [];
/**
 * add(name, config, flag, ctx, dflt, expected, note?)
 * ctx: { subject, attributes, now } — `subject` may be any JSON or the symbol NO_SUBJECT;
 * attributes default to {}; NO_ATTRIBUTES omits them; now defaults to NOW.
 */
const NO_SUBJECT = Symbol("no subject");
const NO_ATTRIBUTES = Symbol("no attributes");
function add(name, config, flag, ctx, dflt, expected, note) {
  assert(configs[config], `unknown config ${config}`);
  const context = {};
  if (ctx.subject !== NO_SUBJECT) context.subject = ctx.subject === undefined ? "user-1" : ctx.subject;
  if (ctx.attributes !== NO_ATTRIBUTES) context.attributes = ctx.attributes ?? {};
  context.now = ctx.now ?? NOW;
  assert(Number.isInteger(context.now), "now must be an integer");
  const kase = { name, config, flag, context, default: dflt, expected };
  if (note !== undefined) kase.note = note;
  cases.push(kase);
}

// ---- §3 operators -------------------------------------------------------------------------

const OPS = "operators";
/** [flag, attributes, holds?, name] */
const opCases = [
  // eq
  ["op-eq", { plan: "pro" }, true, "eq: string attribute equal to the value holds"],
  ["op-eq", { plan: "free" }, false, "eq: different string does not hold"],
  ["op-eq", { plan: "Pro" }, false, "eq: comparison is case-sensitive"],
  ["op-eq", {}, false, "eq: missing attribute does not hold"],
  ["op-eq", { plan: null }, false, "eq: null attribute counts as missing"],
  ["op-eq-number", { seats: 5 }, true, "eq: number attribute equal to a number value holds"],
  ["op-eq-number", { seats: 5.0 }, true, "eq: 5.0 and 5 are the same JSON number"],
  ["op-eq-number", { seats: "5" }, false, "eq: string \"5\" is not the number 5"],
  ["op-eq-boolean", { beta: true }, true, "eq: boolean attribute equal to a boolean value holds"],
  ["op-eq-boolean", { beta: false }, false, "eq: false is not true"],
  ["op-eq-boolean", { beta: "true" }, false, "eq: string \"true\" is not the boolean true"],
  // neq
  ["op-neq", { plan: "pro" }, true, "neq: different string holds"],
  ["op-neq", { plan: "free" }, false, "neq: equal string does not hold"],
  ["op-neq", {}, false, "neq: missing attribute does not hold"],
  ["op-neq", { plan: null }, false, "neq: null attribute does not hold"],
  ["op-neq", { plan: 1 }, true, "neq: an attribute of another JSON type is not equal, so neq holds"],
  // one_of
  ["op-one-of", { country: "CA" }, true, "one_of: attribute among the values holds"],
  ["op-one-of", { country: "MX" }, false, "one_of: attribute not among the values does not hold"],
  ["op-one-of", { country: "ca" }, false, "one_of: comparison is case-sensitive"],
  ["op-one-of", {}, false, "one_of: missing attribute does not hold"],
  ["op-one-of", { country: true }, false, "one_of: boolean attribute is a wrong type, condition false"],
  ["op-one-of-number", { tier: 2 }, true, "one_of: number attribute among number values holds"],
  ["op-one-of-number", { tier: "2" }, false, "one_of: string \"2\" is not the number 2"],
  // not_one_of
  ["op-not-one-of", { country: "FR" }, true, "not_one_of: attribute not among the values holds"],
  ["op-not-one-of", { country: "US" }, false, "not_one_of: attribute among the values does not hold"],
  ["op-not-one-of", {}, false, "not_one_of: missing attribute does not hold"],
  ["op-not-one-of", { country: null }, false, "not_one_of: null attribute does not hold"],
  ["op-not-one-of", { country: false }, false, "not_one_of: boolean attribute is a wrong type, condition false"],
  ["op-not-one-of", { country: 840 }, true, "not_one_of: a number attribute is not among string values, so it holds"],
  // contains
  ["op-contains", { email: "ann@acme.io" }, true, "contains: substring present holds"],
  ["op-contains", { email: "ann@other.io" }, false, "contains: substring absent does not hold"],
  ["op-contains", { email: "ann@ACME.io" }, false, "contains: comparison is case-sensitive"],
  ["op-contains", {}, false, "contains: missing attribute does not hold"],
  ["op-contains", { email: 42 }, false, "contains: number attribute is a wrong type, condition false"],
  // starts_with
  ["op-starts-with", { path: "/beta/chat" }, true, "starts_with: prefix present holds"],
  ["op-starts-with", { path: "/chat/beta/" }, false, "starts_with: the value elsewhere than at the start does not hold"],
  ["op-starts-with", {}, false, "starts_with: missing attribute does not hold"],
  ["op-starts-with", { path: true }, false, "starts_with: boolean attribute is a wrong type, condition false"],
  // ends_with
  ["op-ends-with", { email: "bob@acme.com" }, true, "ends_with: suffix present holds"],
  ["op-ends-with", { email: "bob@acme.com.evil.io" }, false, "ends_with: the value not at the end does not hold"],
  ["op-ends-with", {}, false, "ends_with: missing attribute does not hold"],
  ["op-ends-with", { email: 7 }, false, "ends_with: number attribute is a wrong type, condition false"],
  // matches
  ["op-matches", { email: "ann@acme.com" }, true, "matches: anchored regex that matches holds"],
  ["op-matches", { email: "Ann@acme.com" }, false, "matches: regexes have no flags, so matching is case-sensitive"],
  ["op-matches", { email: "ann@acmexcom" }, false, "matches: escaped dot only matches a dot"],
  ["op-matches", {}, false, "matches: missing attribute does not hold"],
  ["op-matches", { email: 42 }, false, "matches: number attribute is a wrong type, condition false"],
  ["op-matches", { email: "a".repeat(1015) + "@acme.com" }, true, "matches: an attribute of 1,024 UTF-16 code units is tested"],
  ["op-matches", { email: "a".repeat(1016) + "@acme.com" }, false, "matches: an attribute over 1,024 UTF-16 code units is a wrong type, condition false"],
  [
    "op-matches-unanchored",
    { userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0.0.0 Safari/537.36" },
    true,
    "matches: an unanchored regex finds a match anywhere in the string",
  ],
  [
    "op-matches-unanchored",
    { userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/99.0.0.0 Safari/537.36" },
    false,
    "matches: unanchored regex with no match anywhere does not hold",
  ],
  // not_matches
  ["op-not-matches", { email: "x".repeat(1025) }, false, "not_matches: an attribute over 1,024 UTF-16 code units is a wrong type, condition false"],
  ["op-not-matches", { email: "x@gmail.com" }, true, "not_matches: regex without a match holds"],
  ["op-not-matches", { email: "x@acme.com" }, false, "not_matches: regex with a match does not hold"],
  ["op-not-matches", {}, false, "not_matches: missing attribute does not hold"],
  ["op-not-matches", { email: false }, false, "not_matches: boolean attribute is a wrong type, condition false"],
  // gt
  ["op-gt", { age: 30 }, true, "gt: larger number holds"],
  ["op-gt", { age: 18 }, false, "gt: equal number does not hold"],
  ["op-gt", { age: 18.5 }, true, "gt: fractional number compares numerically"],
  ["op-gt", { age: "42" }, true, "gt: numeric string \"42\" compares as a number"],
  ["op-gt", { age: "9" }, false, "gt: numeric string \"9\" compares numerically, not lexically"],
  ["op-gt", { age: "18.25" }, true, "gt: decimal numeric string \"18.25\" compares as a number"],
  ["op-gt", { age: "abc" }, false, "gt: non-numeric string is a wrong type, condition false"],
  ["op-gt", { age: "42abc" }, false, "gt: string that is only partly a number is a wrong type"],
  ["op-gt", { age: "" }, false, "gt: empty string is not a number"],
  ["op-gt", { age: "Infinity" }, false, "gt: \"Infinity\" is not a finite decimal number"],
  ["op-gt", { age: "0x20" }, false, "gt: hexadecimal \"0x20\" is not a decimal number"],
  ["op-gt", { age: " 42" }, false, "gt: a numeric string with surrounding space is not entirely a number"],
  ["op-gt", {}, false, "gt: missing attribute does not hold"],
  ["op-gt", { age: true }, false, "gt: boolean attribute is a wrong type, condition false"],
  // gte
  ["op-gte", { age: 18 }, true, "gte: equal number holds"],
  ["op-gte", { age: 17.999 }, false, "gte: smaller number does not hold"],
  ["op-gte", { age: "18" }, true, "gte: numeric string equal to the value holds"],
  ["op-gte", { age: "17" }, false, "gte: numeric string below the value does not hold"],
  ["op-gte", {}, false, "gte: missing attribute does not hold"],
  // lt
  ["op-lt", { latencyMs: 99.5 }, true, "lt: smaller number holds"],
  ["op-lt", { latencyMs: 100 }, false, "lt: equal number does not hold"],
  ["op-lt", { latencyMs: "-3" }, true, "lt: negative numeric string compares as a number"],
  ["op-lt", { latencyMs: "100" }, false, "lt: numeric string equal to the value does not hold"],
  ["op-lt", { latencyMs: "12ms" }, false, "lt: string with a unit is a wrong type, condition false"],
  ["op-lt", {}, false, "lt: missing attribute does not hold"],
  ["op-lt", { latencyMs: null }, false, "lt: null attribute does not hold"],
  // lte
  ["op-lte", { latencyMs: 100 }, true, "lte: equal number holds"],
  ["op-lte", { latencyMs: 100.01 }, false, "lte: larger number does not hold"],
  ["op-lte", { latencyMs: "99.99" }, true, "lte: numeric string below the value holds"],
  ["op-lte", {}, false, "lte: missing attribute does not hold"],
  ["op-lte", { latencyMs: false }, false, "lte: boolean attribute is a wrong type, condition false"],
  // semver_eq
  ["op-semver-eq", { appVersion: "1.2.3" }, true, "semver_eq: same version holds"],
  ["op-semver-eq", { appVersion: "v1.2.3" }, true, "semver_eq: a leading v is allowed on the attribute"],
  ["op-semver-eq", { appVersion: "1.2.3+build.7" }, true, "semver_eq: build metadata is ignored"],
  ["op-semver-eq", { appVersion: "1.2.4" }, false, "semver_eq: different patch does not hold"],
  ["op-semver-eq", { appVersion: "1.2.3-rc.1" }, false, "semver_eq: a pre-release is not the release"],
  ["op-semver-eq", { appVersion: "1.2" }, false, "semver_eq: an attribute that is not SemVer is a wrong type"],
  ["op-semver-eq", { appVersion: 1.2 }, false, "semver_eq: number attribute is a wrong type"],
  ["op-semver-eq", {}, false, "semver_eq: missing attribute does not hold"],
  // semver_gt
  ["op-semver-gt", { appVersion: "2.0.1" }, true, "semver_gt: higher patch holds"],
  ["op-semver-gt", { appVersion: "2.0.0" }, false, "semver_gt: equal version does not hold"],
  ["op-semver-gt", { appVersion: "10.0.0" }, true, "semver_gt: major 10 is above major 2 (numeric, not lexical)"],
  ["op-semver-gt", { appVersion: "v2.1.0" }, true, "semver_gt: leading v attribute above the value holds"],
  ["op-semver-gt", { appVersion: "2.0.1-alpha" }, true, "semver_gt: a pre-release of a higher version is above the value"],
  ["op-semver-gt", { appVersion: "2.0.0+build.9" }, false, "semver_gt: build metadata does not make a version greater"],
  ["op-semver-gt", { appVersion: "01.0.0" }, false, "semver_gt: leading zeros are not SemVer, condition false"],
  ["op-semver-gt", {}, false, "semver_gt: missing attribute does not hold"],
  ["op-semver-gt-prerelease", { appVersion: "1.0.0-beta.11" }, true, "semver_gt: numeric pre-release identifiers compare numerically (beta.11 > beta.2)"],
  ["op-semver-gt-prerelease", { appVersion: "1.0.0-beta" }, false, "semver_gt: a shorter pre-release is below a longer one with the same prefix"],
  ["op-semver-gt-prerelease", { appVersion: "1.0.0-rc.1" }, true, "semver_gt: pre-release identifiers compare lexically (rc > beta)"],
  ["op-semver-gt-prerelease", { appVersion: "1.0.0" }, true, "semver_gt: the release is above its pre-releases"],
  ["op-semver-gt-prerelease", { appVersion: "1.0.0-alpha.9" }, false, "semver_gt: alpha.9 is below beta.2"],
  // semver_gte
  ["op-semver-gte", { appVersion: "2.0.0" }, true, "semver_gte: equal version holds"],
  ["op-semver-gte", { appVersion: "2.0.0-rc.1" }, false, "semver_gte: a pre-release is below its release"],
  ["op-semver-gte", { appVersion: "2.0.0+exp.sha.5114f85" }, true, "semver_gte: build metadata is ignored"],
  ["op-semver-gte", { appVersion: "1.99.99" }, false, "semver_gte: lower version does not hold"],
  ["op-semver-gte", {}, false, "semver_gte: missing attribute does not hold"],
  // semver_lt
  ["op-semver-lt", { appVersion: "2.0.0-rc.1" }, true, "semver_lt: a pre-release is below its release"],
  ["op-semver-lt", { appVersion: "1.9.9" }, true, "semver_lt: lower version holds"],
  ["op-semver-lt", { appVersion: "2.0.0" }, false, "semver_lt: equal version does not hold"],
  ["op-semver-lt", { appVersion: "banana" }, false, "semver_lt: an attribute that is not SemVer is a wrong type"],
  ["op-semver-lt", {}, false, "semver_lt: missing attribute does not hold"],
  // semver_lte (value has a leading v)
  ["op-semver-lte", { appVersion: "2.0.0" }, true, "semver_lte: equal version holds (the value's leading v is allowed)"],
  ["op-semver-lte", { appVersion: "2.0.1" }, false, "semver_lte: higher version does not hold"],
  ["op-semver-lte", { appVersion: "v2.0.0+build.1" }, true, "semver_lte: leading v and build metadata on the attribute"],
  ["op-semver-lte", { appVersion: true }, false, "semver_lte: boolean attribute is a wrong type"],
  ["op-semver-lte", {}, false, "semver_lte: missing attribute does not hold"],
  // before
  ["op-before", { signupAt: "2025-12-31T23:59:59.999Z" }, true, "before: ISO instant one millisecond earlier holds"],
  ["op-before", { signupAt: "2026-01-01T00:00:00Z" }, false, "before: the same instant does not hold"],
  ["op-before", { signupAt: "2026-01-01T00:30:00+01:00" }, true, "before: ISO string with an offset compares as an instant"],
  ["op-before", { signupAt: "2025-12-31T19:00:00-05:00" }, false, "before: same instant written with another offset does not hold"],
  ["op-before", { signupAt: 1767225599999 }, true, "before: epoch-ms number one millisecond earlier holds"],
  ["op-before", { signupAt: 1767225600000 }, false, "before: epoch-ms number at the same instant does not hold"],
  ["op-before", { signupAt: "last year" }, false, "before: a string that is not a date-time is a wrong type"],
  ["op-before", { signupAt: "2025-06-01" }, false, "before: a date without a time is not an RFC 3339 date-time"],
  ["op-before", { signupAt: true }, false, "before: boolean attribute is a wrong type"],
  ["op-before", {}, false, "before: missing attribute does not hold"],
  // after
  ["op-after", { signupAt: "2026-01-01T00:00:00.001Z" }, true, "after: ISO instant one millisecond later holds"],
  ["op-after", { signupAt: "2026-01-01T00:00:00Z" }, false, "after: the same instant does not hold"],
  ["op-after", { signupAt: "2025-12-31T19:00:01-05:00" }, true, "after: ISO string with a negative offset compares as an instant"],
  ["op-after", { signupAt: 1767225600001 }, true, "after: epoch-ms number one millisecond later holds"],
  ["op-after", { signupAt: 1735689600000 }, false, "after: earlier epoch-ms number does not hold"],
  ["op-after", { signupAt: "2027-13-01T00:00:00Z" }, false, "after: an impossible date is a wrong type"],
  ["op-after", {}, false, "after: missing attribute does not hold"],
  // exists
  ["op-exists", { plan: "free" }, true, "exists: present string attribute holds"],
  ["op-exists", { plan: "" }, true, "exists: empty string is present"],
  ["op-exists", { plan: false }, true, "exists: false is present"],
  ["op-exists", { plan: 0 }, true, "exists: 0 is present"],
  ["op-exists", {}, false, "exists: missing attribute does not hold"],
  ["op-exists", { plan: null }, false, "exists: null attribute counts as missing"],
  // not_exists
  ["op-not-exists", {}, true, "not_exists: missing attribute holds"],
  ["op-not-exists", { plan: null }, true, "not_exists: null attribute holds"],
  ["op-not-exists", { plan: "free" }, false, "not_exists: present attribute does not hold"],
  ["op-not-exists", { plan: false }, false, "not_exists: false is present, so it does not hold"],
];
for (const [flag, attributes, holds, name] of opCases) {
  add(name, OPS, flag, { attributes }, false, holds ? served(OPS, flag, "match", "on") : byDefault(OPS, flag));
}
add("not_exists: a context without attributes holds", OPS, "op-not-exists", { attributes: NO_ATTRIBUTES }, false, served(OPS, "op-not-exists", "match", "on"));
add("eq: a context without attributes does not hold", OPS, "op-eq", { attributes: NO_ATTRIBUTES }, false, byDefault(OPS, "op-eq"));

// ---- rules ------------------------------------------------------------------------------------

const R = "rules";
add("rules: first rule holds when all its conditions hold", R, "or-and", { attributes: { country: "US", plan: "pro" } }, false, served(R, "or-and", "match", "on"));
add("rules: conditions are ANDed, one failing condition fails the rule", R, "or-and", { attributes: { country: "US", plan: "free" } }, false, byDefault(R, "or-and"));
add("rules: rules are ORed, the second rule alone is enough", R, "or-and", { attributes: { country: "FR", plan: "free", email: "eve@acme.com" } }, false, served(R, "or-and", "match", "on"));
add("rules: no rule holds falls through to DEFAULT", R, "or-and", { attributes: { country: "FR", email: "eve@example.com" } }, false, byDefault(R, "or-and"));
add("rules: empty rules list matches everyone", R, "empty-rules", { attributes: {} }, false, served(R, "empty-rules", "everyone", "on"));
add("rules: absent rules match everyone", R, "absent-rules", { attributes: NO_ATTRIBUTES }, false, served(R, "absent-rules", "everyone", "on"));
add("rules: a rule with empty conditions holds", R, "empty-conditions", { attributes: {} }, false, served(R, "empty-conditions", "everyone", "on"));
add("rules: a rule with empty conditions after a failing rule still holds", R, "empty-conditions-second-rule", { attributes: { plan: "free" } }, false, served(R, "empty-conditions-second-rule", "everyone", "on"));
add("allocation order: first matching allocation wins over later ones", R, "first-match-wins", { attributes: { email: "ann@acme.com", plan: "pro" } }, null, served(R, "first-match-wins", "employees", "blue"));
add("allocation order: a failing allocation is skipped for the next one", R, "first-match-wins", { attributes: { email: "ann@example.com", plan: "pro" } }, null, served(R, "first-match-wins", "pro", "green"));
add("allocation order: catch-all allocation at the end", R, "first-match-wins", { attributes: { email: "ann@example.com", plan: "free" } }, null, served(R, "first-match-wins", "everyone", "green"));
add("fall-through: no allocation passes, DEFAULT serves defaultVariant", R, "fall-through", { attributes: { plan: "free", country: "FR" } }, "caller", byDefault(R, "fall-through"));
add("fall-through: second allocation decides when the first does not pass", R, "fall-through", { attributes: { plan: "free", country: "US" } }, "caller", served(R, "fall-through", "us", "b"));
add("fall-through: a flag without allocations serves DEFAULT", R, "no-allocations", { attributes: {} }, true, byDefault(R, "no-allocations"));

// ---- time windows ----------------------------------------------------------------------------

const T = "time";
const FEB1 = ms("2026-02-01T00:00:00Z");
const MAR1 = ms("2026-03-01T00:00:00Z");
assert(FEB1 === 1769904000000 && MAR1 === 1772323200000, "window instants");
const windowCases = [
  ["window", FEB1 - 1, false, "time window: one millisecond before startAt does not pass"],
  ["window", FEB1, true, "time window: exactly at startAt passes (inclusive)"],
  ["window", ms("2026-02-14T12:00:00Z"), true, "time window: inside the window passes"],
  ["window", MAR1 - 1, true, "time window: one millisecond before endAt passes"],
  ["window", MAR1, false, "time window: exactly at endAt does not pass (exclusive)"],
  ["window", ms("2026-06-01T00:00:00Z"), false, "time window: after endAt does not pass"],
  ["only-start", FEB1 - 1, false, "time window with only startAt: before it does not pass"],
  ["only-start", FEB1, true, "time window with only startAt: at startAt passes"],
  ["only-start", ms("2030-01-01T00:00:00Z"), true, "time window with only startAt: open-ended into the future"],
  ["only-end", ms("2020-01-01T00:00:00Z"), true, "time window with only endAt: long before endAt passes"],
  ["only-end", MAR1 - 1, true, "time window with only endAt: just before endAt passes"],
  ["only-end", MAR1, false, "time window with only endAt: at endAt does not pass"],
  ["window-offset", FEB1 - 1, false, "time window with offsets: startAt +09:00 is compared as an instant (just before)"],
  ["window-offset", FEB1, true, "time window with offsets: startAt 2026-02-01T09:00:00+09:00 is 2026-02-01T00:00:00Z"],
  ["window-offset", MAR1 - 1, true, "time window with offsets: endAt 2026-02-28T19:00:00-05:00 is 2026-03-01T00:00:00Z (just before)"],
  ["window-offset", MAR1, false, "time window with offsets: at endAt given with -05:00 does not pass"],
];
for (const [flag, now, passes, name] of windowCases) {
  const key = flagOf(T, flag).allocations[0].key;
  add(name, T, flag, { attributes: {}, now }, false, passes ? served(T, flag, key, "on") : byDefault(T, flag), `now = ${new Date(now).toISOString()}`);
}
add("time window and rules: both must pass", T, "window-then-rules", { attributes: { plan: "pro" }, now: ms("2026-02-10T00:00:00Z") }, null, served(T, "window-then-rules", "sale", "sale"));
add("time window and rules: matching rules outside the window do not pass", T, "window-then-rules", { attributes: { plan: "pro" }, now: NOW }, null, byDefault(T, "window-then-rules"));
add("time window and rules: inside the window but rules fail", T, "window-then-rules", { attributes: { plan: "free" }, now: ms("2026-02-10T00:00:00Z") }, null, byDefault(T, "window-then-rules"));

// ---- rollout ---------------------------------------------------------------------------------

const RO = "rollout";
/** A subject whose traffic bucket for (cfg, flag, alloc) satisfies pred. */
const trafficSubject = (prefix, cfg, flag, key, pred) => findSubject(prefix, (s) => pred(trafficBucket(cfg, flag, key, s)));
const tNote = (cfg, flag, key, s) => `traffic bucket ${trafficBucket(cfg, flag, key, s)} (salt ${trafficSalt(flag, allocOf(cfg, flag, key))})`;

for (const s of ["user-1", "user-2", trafficSubject("ro", RO, "nobody", "ramp", (b) => b === 0)]) {
  add(`rollout 0 serves nobody (subject ${s})`, RO, "nobody", { subject: s }, false, byDefault(RO, "nobody"), tNote(RO, "nobody", "ramp", s));
}
for (const s of ["user-1", "user-2", trafficSubject("ro", RO, "everybody", "ramp", (b) => b === 9999)]) {
  add(`rollout 10000 serves everybody (subject ${s})`, RO, "everybody", { subject: s }, false, served(RO, "everybody", "ramp", "on"), "no hash needed; " + tNote(RO, "everybody", "ramp", s));
}
{
  const s = trafficSubject("ro", RO, "everybody-explicit-offset", "ramp", (b) => b === 9999);
  add("rolloutOffset 0 with rollout 10000 serves everybody, even bucket 9999", RO, "everybody-explicit-offset", { subject: s }, false, served(RO, "everybody-explicit-offset", "ramp", "on"), tNote(RO, "everybody-explicit-offset", "ramp", s));
}
{
  const inS = trafficSubject("partial-in", RO, "partial", "ramp", (b) => b < 2500 && b > 100);
  const outS = trafficSubject("partial-out", RO, "partial", "ramp", (b) => b >= 2500 && b < 9900);
  const edgeIn = trafficSubject("partial", RO, "partial", "ramp", (b) => b === 2499);
  const edgeOut = trafficSubject("partial", RO, "partial", "ramp", (b) => b === 2500);
  const zero = trafficSubject("partial", RO, "partial", "ramp", (b) => b === 0);
  for (const [s, inside, name] of [
    [inS, true, "partial rollout 2500: subject inside the range gets the allocation"],
    [outS, false, "partial rollout 2500: subject outside the range falls through"],
    [edgeIn, true, "partial rollout 2500: traffic bucket 2499 is inside"],
    [edgeOut, false, "partial rollout 2500: traffic bucket 2500 is outside (exclusive end)"],
    [zero, true, "partial rollout 2500: traffic bucket 0 is inside"],
  ]) {
    assert(inTraffic(RO, "partial", "ramp", s) === inside, name);
    add(name, RO, "partial", { subject: s }, false, inside ? served(RO, "partial", "ramp", "on") : byDefault(RO, "partial"), tNote(RO, "partial", "ramp", s));
  }
}
for (const [b, inside] of [[3999, false], [4000, true], [4999, true], [5000, false]]) {
  const s = trafficSubject("offset", RO, "offset-range", "slice", (x) => x === b);
  assert(inTraffic(RO, "offset-range", "slice", s) === inside, "offset-range");
  add(`rolloutOffset 4000 rollout 1000: traffic bucket ${b} is ${inside ? "inside" : "outside"} [4000, 5000)`, RO, "offset-range", { subject: s }, false, inside ? served(RO, "offset-range", "slice", "on") : byDefault(RO, "offset-range"), tNote(RO, "offset-range", "slice", s));
}
for (const [b, inside] of [[8999, false], [9000, true], [9999, true]]) {
  const s = trafficSubject("top", RO, "offset-top", "slice", (x) => x === b);
  add(`rolloutOffset 9000 rollout 1000: traffic bucket ${b} is ${inside ? "inside" : "outside"} [9000, 10000)`, RO, "offset-top", { subject: s }, false, inside ? served(RO, "offset-top", "slice", "on") : byDefault(RO, "offset-top"), tNote(RO, "offset-top", "slice", s));
}
{
  const inS = trafficSubject("pro", RO, "rules-and-rollout", "pro-ramp", (b) => b < 3000);
  const outS = trafficSubject("pro", RO, "rules-and-rollout", "pro-ramp", (b) => b >= 3000);
  add("rules and rollout: matching rules inside the traffic range pass", RO, "rules-and-rollout", { subject: inS, attributes: { plan: "pro" } }, false, served(RO, "rules-and-rollout", "pro-ramp", "on"), tNote(RO, "rules-and-rollout", "pro-ramp", inS));
  add("rules and rollout: matching rules outside the traffic range do not pass", RO, "rules-and-rollout", { subject: outS, attributes: { plan: "pro" } }, false, byDefault(RO, "rules-and-rollout"), tNote(RO, "rules-and-rollout", "pro-ramp", outS));
  add("rules and rollout: inside the traffic range but rules fail", RO, "rules-and-rollout", { subject: inS, attributes: { plan: "free" } }, false, byDefault(RO, "rules-and-rollout"), tNote(RO, "rules-and-rollout", "pro-ramp", inS));
}
{
  const inS = trafficSubject("v2", RO, "rollout-then-fallback", "ramp-v2", (b) => b < 1000);
  const outS = trafficSubject("v2", RO, "rollout-then-fallback", "ramp-v2", (b) => b >= 1000);
  add("rollout then catch-all: subject inside the 10% ramp gets v2", RO, "rollout-then-fallback", { subject: inS }, "v0", served(RO, "rollout-then-fallback", "ramp-v2", "v2"), tNote(RO, "rollout-then-fallback", "ramp-v2", inS));
  add("rollout then catch-all: subject outside the ramp falls to the next allocation", RO, "rollout-then-fallback", { subject: outS }, "v0", served(RO, "rollout-then-fallback", "rest", "v1"), tNote(RO, "rollout-then-fallback", "ramp-v2", outS));
}

// ---- ramps and re-weighting keep assignments stable -----------------------------------------

const sNote = (cfg, flag, key, s) => `split bucket ${splitBucket(cfg, flag, key, s)} (salt ${splitSalt(flag, allocOf(cfg, flag, key))})`;
const bothNote = (cfg, flag, key, s) => `${tNote(cfg, flag, key, s)}; ${sNote(cfg, flag, key, s)}`;
{
  const F = "summarizer-model";
  for (const v of ["small", "large"]) {
    const s = findSubject(`early-${v}`, (x) => trafficBucket("ramp-5pct", F, "ramp", x) < 500 && splitVariant("ramp-5pct", F, "ramp", x) === v);
    assert(splitVariant("ramp-25pct", F, "ramp", s) === v, "ramp keeps variant");
    add(`ramp from 5% to 25% keeps early subjects: at 5% an early subject gets ${v}`, "ramp-5pct", F, { subject: s }, null, served("ramp-5pct", F, "ramp", v), bothNote("ramp-5pct", F, "ramp", s));
    add(`ramp from 5% to 25% keeps early subjects: at 25% the same subject still gets ${v}`, "ramp-25pct", F, { subject: s }, null, served("ramp-25pct", F, "ramp", v), bothNote("ramp-25pct", F, "ramp", s));
  }
  const late = findSubject("late", (x) => {
    const b = trafficBucket("ramp-5pct", F, "ramp", x);
    return b >= 500 && b < 2500;
  });
  add("ramp from 5% to 25%: a subject with traffic bucket in [500, 2500) is out at 5%", "ramp-5pct", F, { subject: late }, null, byDefault("ramp-5pct", F), bothNote("ramp-5pct", F, "ramp", late));
  add("ramp from 5% to 25%: the same subject is in at 25%", "ramp-25pct", F, { subject: late }, null, served("ramp-25pct", F, "ramp", splitVariant("ramp-25pct", F, "ramp", late)), bothNote("ramp-25pct", F, "ramp", late));
}
{
  const F = "answer-style";
  const pick = (lo, hi) => findSubject(`rw-${lo}`, (x) => {
    const b = splitBucket("weights-50-50", F, "exp", x);
    return b >= lo && b < hi;
  });
  const stayA = pick(0, 2000);
  const moved = pick(2000, 5000);
  const stayB = pick(5000, 10000);
  for (const [s, v50, v20, what] of [
    [stayA, "terse", "terse", "split bucket below 2000 stays terse"],
    [moved, "terse", "verbose", "split bucket in [2000, 5000) moves from terse to verbose"],
    [stayB, "verbose", "verbose", "split bucket at or above 5000 stays verbose"],
  ]) {
    assert(splitVariant("weights-50-50", F, "exp", s) === v50 && splitVariant("weights-20-80", F, "exp", s) === v20, what);
    add(`re-weighting 50/50 to 20/80: ${what} (50/50)`, "weights-50-50", F, { subject: s }, null, served("weights-50-50", F, "exp", v50), sNote("weights-50-50", F, "exp", s));
    add(`re-weighting 50/50 to 20/80: ${what} (20/80)`, "weights-20-80", F, { subject: s }, null, served("weights-20-80", F, "exp", v20), sNote("weights-20-80", F, "exp", s));
  }
}

// ---- splits --------------------------------------------------------------------------------

const S = "splits";
const splitSubject = (prefix, flag, pred) => findSubject(prefix, (s) => pred(splitBucket(S, flag, "exp", s)));
function splitCase(name, flag, subject, expectVariant, dflt = null) {
  const v = splitVariant(S, flag, "exp", subject);
  if (expectVariant !== undefined) assert(v === expectVariant, `${name}: expected ${expectVariant}, SPEC arithmetic gives ${v}`);
  add(name, S, flag, { subject }, dflt, served(S, flag, "exp", v), sNote(S, flag, "exp", subject));
}
// 1:3 -> B1 = floor(1 * 10000 / 4) = 2500
splitCase("weights 1:3: split bucket 2499 is the last bucket of the first variant", "one-to-three", splitSubject("w13", "one-to-three", (b) => b === 2499), "a");
splitCase("weights 1:3: split bucket 2500 is the first bucket of the second variant", "one-to-three", splitSubject("w13", "one-to-three", (b) => b === 2500), "b");
splitCase("weights 1:3: split bucket 0 gets the first variant", "one-to-three", splitSubject("w13", "one-to-three", (b) => b === 0), "a");
splitCase("weights 1:3: a subject in the upper three quarters gets the second variant", "one-to-three", splitSubject("w13-any", "one-to-three", (b) => b > 6000 && b < 9000), "b");
splitCase("weights 1:3: allocation log defaults to false", "one-to-three", splitSubject("w13-log", "one-to-three", (b) => b < 2500 && b > 200), "a");
// 50/50 -> B1 = 5000
splitCase("50/50: split bucket 4999 gets control", "fifty-fifty", splitSubject("ff", "fifty-fifty", (b) => b === 4999), "control");
splitCase("50/50: split bucket 5000 gets treatment", "fifty-fifty", splitSubject("ff", "fifty-fifty", (b) => b === 5000), "treatment");
splitCase("50/50: the allocation's log true is reported (subject user-1)", "fifty-fifty", "user-1");
splitCase("50/50: another typical subject (user-2)", "fifty-fifty", "user-2");
// 1/1/1 -> B = 3333, 6666, 10000
for (const [b, v] of [[0, "a"], [3332, "a"], [3333, "b"], [6665, "b"], [6666, "c"], [9999, "c"]]) {
  splitCase(`three-way 1/1/1: split bucket ${b} gets ${v} (boundaries 3333 and 6666)`, "three-way", splitSubject("abc", "three-way", (x) => x === b), v);
}
// 1:3 -> B1 = floor(1 * 10000 / 4) = 2500
splitCase("integer weights 1:3: split bucket 2499 gets the first variant", "quarter-weights", splitSubject("frac", "quarter-weights", (b) => b === 2499), "a");
splitCase("integer weights 1:3: split bucket 2500 gets the second variant", "quarter-weights", splitSubject("frac", "quarter-weights", (b) => b === 2500), "b");
// custom salts
{
  const F = "custom-salts";
  const ctl = findSubject("cs", (s) => inTraffic(S, F, "exp", s) && splitVariant(S, F, "exp", s) === "control");
  const trt = findSubject("cs", (s) => inTraffic(S, F, "exp", s) && splitVariant(S, F, "exp", s) === "treatment");
  const out = findSubject("cs", (s) => !inTraffic(S, F, "exp", s));
  // a subject whose buckets under the *default* salts would tell a different story
  const saltMatters = findSubject("cs-salt", (s) => {
    const inCustom = inTraffic(S, F, "exp", s);
    const inDefault = bucket(`${F}:exp:traffic`, s) < 5000;
    return inCustom && !inDefault;
  });
  add("custom trafficSalt and splitSalt: in traffic, control", S, F, { subject: ctl }, null, served(S, F, "exp", "control"), bothNote(S, F, "exp", ctl));
  add("custom trafficSalt and splitSalt: in traffic, treatment", S, F, { subject: trt }, null, served(S, F, "exp", "treatment"), bothNote(S, F, "exp", trt));
  add("custom trafficSalt: traffic bucket at or above 5000 is out", S, F, { subject: out }, null, byDefault(S, F), bothNote(S, F, "exp", out));
  add("custom trafficSalt is used instead of the default '<flag>:<allocation>:traffic'", S, F, { subject: saltMatters }, null, served(S, F, "exp", splitVariant(S, F, "exp", saltMatters)), `${bothNote(S, F, "exp", saltMatters)}; under the default salt the traffic bucket would be ${bucket(`${F}:exp:traffic`, saltMatters)} (out)`);
}
add("one split gives TARGETING_MATCH whatever its weight", S, "single-split", { subject: "user-1" }, null, served(S, "single-split", "exp", "treatment"), "one split: no hash needed");
splitCase("two or more splits give SPLIT", "fifty-fifty", "user-3");
// unicode and empty subjects
for (const [subject, label] of [
  ["", "empty-string subject"],
  ["José", "unicode subject José"],
  ["Jose\u0301", "unicode subject José in NFD (not normalized, hashes differently)"],
  ["中文", "unicode subject 中文"],
  ["🚀", "emoji subject 🚀 (4-byte UTF-8)"],
  ["\uD800", "lone surrogate subject hashes as U+FFFD"],
]) {
  splitCase(`unicode split: ${label}`, "unicode-split", subject);
}
assert(splitBucket(S, "unicode-split", "exp", "José") !== splitBucket(S, "unicode-split", "exp", "Jose\u0301"), "NFC vs NFD buckets differ");

// ---- LLM experiment with holdout, and layers --------------------------------------------------

const L = "llm";
{
  const F = "chat-model";
  const inHoldout = (s) => inTraffic(L, F, "holdout", s);
  const held = findSubject("held", (s) => inHoldout(s));
  const heldEmployee = findSubject("held-emp", (s) => inHoldout(s));
  const employee = findSubject("emp", (s) => !inHoldout(s));
  add("holdout: a subject in traffic range [0, 1000) of the holdout salt gets the default model", L, F, { subject: held }, null, served(L, F, "holdout", "gpt-3_5"), tNote(L, F, "holdout", held));
  add("holdout: placed first, it wins over the employee allocation", L, F, { subject: heldEmployee, attributes: { email: "dev@acme.com" } }, null, served(L, F, "holdout", "gpt-3_5"), tNote(L, F, "holdout", heldEmployee));
  add("holdout: an employee outside the holdout gets gpt-4 by targeting", L, F, { subject: employee, attributes: { email: "dev@acme.com" } }, null, served(L, F, "employees", "gpt-4"), tNote(L, F, "holdout", employee));
  for (const v of ["gpt-3_5", "gpt-4", "fixed"]) {
    const s = findSubject(`llm-${v}`, (x) => !inHoldout(x) && splitVariant(L, F, "experiment", x) === v);
    add(`LLM model experiment: a subject outside the holdout gets ${v} by split`, L, F, { subject: s, attributes: { email: "someone@example.com" } }, { model: "caller-default" }, served(L, F, "experiment", v), `${tNote(L, F, "holdout", s)}; ${sNote(L, F, "experiment", s)}`);
  }
}
{
  const layerB = (s) => bucket("layer-chat", s);
  const first = findSubject("layer", (s) => layerB(s) < 5000);
  const second = findSubject("layer", (s) => layerB(s) >= 5000);
  const at4999 = findSubject("layer", (s) => layerB(s) === 4999);
  const at5000 = findSubject("layer", (s) => layerB(s) === 5000);
  for (const [s, inFirst, label] of [
    [first, true, "a subject in [0, 5000)"],
    [second, false, "a subject in [5000, 10000)"],
    [at4999, true, "layer bucket 4999"],
    [at5000, false, "layer bucket 5000"],
  ]) {
    const note = `layer bucket ${layerB(s)} (salt layer-chat)`;
    add(`layer: ${label} is ${inFirst ? "in" : "not in"} prompt-style, range [0, 5000) of salt layer-chat`, L, "prompt-style", { subject: s }, null, inFirst ? served(L, "prompt-style", "exp", splitVariant(L, "prompt-style", "exp", s)) : byDefault(L, "prompt-style"), inFirst ? `${note}; ${sNote(L, "prompt-style", "exp", s)}` : note);
    add(`layer: ${label} is ${inFirst ? "not in" : "in"} retrieval-depth, range [5000, 10000) of salt layer-chat`, L, "retrieval-depth", { subject: s }, null, inFirst ? byDefault(L, "retrieval-depth") : served(L, "retrieval-depth", "exp", splitVariant(L, "retrieval-depth", "exp", s)), inFirst ? note : `${note}; ${sNote(L, "retrieval-depth", "exp", s)}`);
  }
  // sanity: the two layered allocations are mutually exclusive
  for (let i = 0; i < 20000; i++) {
    const s = `layer-check-${i}`;
    assert(!(inTraffic(L, "prompt-style", "exp", s) && inTraffic(L, "retrieval-depth", "exp", s)), "layers overlap");
  }
}

// ---- variant value types -------------------------------------------------------------------

const VA = "values";
add("string value served by targeting", VA, "string-value", { attributes: { plan: "pro" } }, "gpt-3.5-turbo", served(VA, "string-value", "pro", "full"));
add("string value served by DEFAULT", VA, "string-value", { attributes: { plan: "free" } }, "gpt-3.5-turbo", byDefault(VA, "string-value"));
add("number value 0.7 served by targeting", VA, "number-value", { attributes: { task: "brainstorm" } }, 1, served(VA, "number-value", "creative", "warm"));
add("integer value 4096 served by the second allocation", VA, "number-value", { attributes: { task: "summarize" } }, 1, served(VA, "number-value", "long", "tokens"));
add("number value 0 served by DEFAULT is not the caller's default", VA, "number-value", { attributes: { task: "chat" } }, 1, byDefault(VA, "number-value"));
add("boolean value false served by targeting", VA, "boolean-value", { attributes: { optOut: true } }, true, served(VA, "boolean-value", "opt-out", "no"));
add("boolean value true served by DEFAULT", VA, "boolean-value", { attributes: {} }, false, byDefault(VA, "boolean-value"));
add("null value served by DEFAULT is null, not the caller's default", VA, "null-value", { attributes: {} }, "caller-default", byDefault(VA, "null-value"));
add("string value served when the default variant is null", VA, "null-value", { attributes: { plan: "pro" } }, "caller-default", served(VA, "null-value", "pro", "banner"));
add("null value served by an allocation", VA, "null-served", { attributes: {} }, "caller-default", served(VA, "null-served", "everyone", "no-prompt"));
add("object value (LLM model config) served by targeting", VA, "object-value", { attributes: { plan: "enterprise" } }, {}, served(VA, "object-value", "enterprise", "large"));
add("object value (LLM model config) served by DEFAULT", VA, "object-value", { attributes: { plan: "team" } }, {}, byDefault(VA, "object-value"));
add("array value served", VA, "array-value", { attributes: {} }, [], served(VA, "array-value", "everyone", "long"));

// ---- disabled, missing, log ----------------------------------------------------------------

const M = "misc";
add("disabled flag serves defaultVariant with reason DISABLED and log false", M, "kill-switch", { attributes: {} }, true, disabled(M, "kill-switch"));
add("disabled flag ignores an allocation that would match everyone", M, "kill-switch", { subject: "user-9", attributes: { plan: "pro" } }, null, disabled(M, "kill-switch"));
add("disabled flag with an object default variant", M, "disabled-model", { attributes: {} }, null, disabled(M, "disabled-model"));
add("log true on a single-split allocation", M, "targeted-logged", { attributes: { beta: true } }, false, served(M, "targeted-logged", "beta", "on"));
add("log false explicitly", M, "targeted-log-false", { attributes: { beta: true } }, false, served(M, "targeted-log-false", "beta", "on"));
add("log is false on DEFAULT even when the allocation logs", M, "targeted-logged", { attributes: { beta: false } }, false, byDefault(M, "targeted-logged"));
add("log defaults to false when the allocation has no log field", M, "everyone", { attributes: {} }, false, served(M, "everyone", "everyone", "on"));
add("missing flag returns the caller's boolean default", M, "does-not-exist", { attributes: {} }, true, notFound(true));
add("missing flag returns the caller's object default", M, "chat-model", { attributes: {} }, { model: "gpt-4o-mini" }, notFound({ model: "gpt-4o-mini" }));
add("missing flag returns the caller's null default", M, "nope", { attributes: {} }, null, notFound(null));
add("flag keys are case-sensitive", M, "Kill-Switch", { attributes: {} }, "x", notFound("x"));

// ---- context errors --------------------------------------------------------------------------

add("subject that is a number is INVALID_CONTEXT", M, "everyone", { subject: 42, attributes: {} }, false, error(false, "INVALID_CONTEXT"));
add("missing subject is INVALID_CONTEXT", M, "everyone", { subject: NO_SUBJECT, attributes: {} }, false, error(false, "INVALID_CONTEXT"));
add("null subject is INVALID_CONTEXT", M, "everyone", { subject: null, attributes: {} }, "fallback", error("fallback", "INVALID_CONTEXT"));
add("subject that is an object is INVALID_CONTEXT", M, "everyone", { subject: { id: "user-1" } }, 0, error(0, "INVALID_CONTEXT"));
add("invalid context is reported before DISABLED", M, "kill-switch", { subject: 7 }, true, error(true, "INVALID_CONTEXT"), "SPEC §2: step 2 (ERROR) comes before step 3 (DISABLED)");
add("unknown flag is reported before an invalid context", M, "does-not-exist", { subject: 7 }, "d", notFound("d"), "SPEC §2: step 1 (FLAG_NOT_FOUND) comes before step 2 (ERROR)");
add("empty-string subject is a valid subject", M, "everyone", { subject: "" }, false, served(M, "everyone", "everyone", "on"));

// ---- broken flags --------------------------------------------------------------------------

const B = "broken";
add("a split naming an unknown variant is INVALID_FLAG", B, "split-unknown-variant", { attributes: {} }, "caller", error("caller", "INVALID_FLAG"));
add("a defaultVariant naming an unknown variant is INVALID_FLAG", B, "default-unknown-variant", { attributes: {} }, true, error(true, "INVALID_FLAG"));
add("a matches pattern that does not compile is INVALID_FLAG", B, "regex-does-not-compile", { attributes: { email: "a@b.c" } }, false, error(false, "INVALID_FLAG"));
add("a not_matches pattern that does not compile is INVALID_FLAG", B, "not-matches-does-not-compile", { attributes: {} }, false, error(false, "INVALID_FLAG"));
add("a malformed semver value in a condition is INVALID_FLAG", B, "bad-semver", { attributes: { appVersion: "1.2.3" } }, { v: 1 }, error({ v: 1 }, "INVALID_FLAG"));
add("a malformed date value in a condition is INVALID_FLAG", B, "bad-date", { attributes: { signupAt: 0 } }, null, error(null, "INVALID_FLAG"));
add("a malformed startAt is INVALID_FLAG", B, "bad-start-at", { attributes: {} }, false, error(false, "INVALID_FLAG"));
add("allocations that are not an array are INVALID_FLAG", B, "allocations-not-array", { attributes: {} }, "x", error("x", "INVALID_FLAG"));
add("a broken allocation after one that would decide still breaks the flag", B, "unreached-bad-regex", { attributes: {} }, false, error(false, "INVALID_FLAG"), "the whole flag is compiled, not only the allocations walked");
add("a disabled flag whose defaultVariant is unknown is INVALID_FLAG", B, "disabled-unknown-default", { attributes: {} }, "d", error("d", "INVALID_FLAG"));
add("a disabled flag that does not compile is INVALID_FLAG, not DISABLED", B, "disabled-bad-regex", { attributes: {} }, "d", error("d", "INVALID_FLAG"), "SPEC §2: step 2 (ERROR) comes before step 3 (DISABLED)");
add("a broken flag only breaks itself: a healthy flag in the same config evaluates", B, "healthy", { attributes: {} }, false, served(B, "healthy", "everyone", "on"));
add("an unknown flag in a config with broken flags is FLAG_NOT_FOUND", B, "missing", { attributes: {} }, 3, notFound(3));

// ---------------------------------------------------------------------------------------------
// Checks and output
// ---------------------------------------------------------------------------------------------

const names = new Set();
for (const k of cases) {
  assert(!names.has(k.name), "duplicate case name: " + k.name);
  names.add(k.name);
  const e = k.expected;
  if (e.reason === "ERROR" || e.reason === "FLAG_NOT_FOUND") {
    assert(e.variant === null && e.allocation === null && e.log === false, k.name);
    assert(JSON.stringify(e.value) === JSON.stringify(k.default), k.name);
    assert((e.reason === "ERROR") === ("errorCode" in e), k.name);
  } else {
    assert(!("errorCode" in e), k.name);
  }
}
assert(cases.length >= 110, `only ${cases.length} cases`);

const doc = {
  specVersion: 1,
  description:
    "edgeflag evaluation vectors (SPEC.md §2-§3). For each case, evaluate `flag` of `configs[config]` with `context` " +
    "and the caller's `default`; the result's variant, value, reason, allocation, log (and errorCode when present) " +
    "must equal `expected`. Every context carries `now` (ms since the epoch). `note` gives the buckets of hash-dependent cases. " +
    "Generated by config-schema/scripts/gen-eval-vectors.mjs from the SPEC with murmurhash3js-revisited; do not edit by hand.",
  configs,
  cases,
};
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, JSON.stringify(doc, null, 2) + "\n");
console.log(`wrote ${cases.length} cases, ${Object.keys(configs).length} configs to ${OUT}`);
