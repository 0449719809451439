/**
 * Properties of contract 2 that the tests must prove (DESIGN.md): ramps keep people, weight
 * changes move only the ranges that changed hands, splits match their weights, layers exclude,
 * holdouts hold. Each returns null when it holds, or what went wrong.
 *
 * @module
 */
import { bucket, compileConfig, evaluate, type CompiledConfig } from "../src/core/index.ts";
import type { Allocation, FlagConfig } from "@edgeflag/config-schema";
import { chiSquareTest } from "./chi-square.ts";

const NOW = Date.UTC(2026, 0, 1);
const subjects = (n: number, prefix = "user-") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

function flagConfig(allocation: Partial<Allocation>, variants = ["control", "treatment"]): CompiledConfig {
  const config: FlagConfig = {
    flags: {
      f: {
        enabled: true,
        defaultVariant: variants[0]!,
        variants: Object.fromEntries(variants.map((v) => [v, { value: v }])),
        allocations: [{ key: "exp", splits: variants.map((v) => ({ variant: v, weight: 1 })), log: true, ...allocation }],
      },
    },
  };
  return compileConfig(config);
}

const variantOf = (c: CompiledConfig, s: string) => {
  const r = evaluate(c, "f", { subject: s, now: NOW });
  return r.allocation === null ? null : r.variant;
};

function rampKeepsPeople(): string | null {
  const stages = [500, 2500, 10000].map((rollout) => flagConfig({ rollout }));
  const people = subjects(20000);
  let early = 0;
  for (const s of people) {
    const seen = stages.map((c) => variantOf(c, s));
    for (let i = 0; i < seen.length; i++) {
      if (seen[i] === null) continue;
      if (i === 0) early++;
      for (let j = i + 1; j < seen.length; j++) if (seen[j] !== seen[i]) return `${s} moved from ${seen[i]} to ${seen[j]} at stage ${j}`;
    }
  }
  return Math.abs(early - 1000) < 200 ? null : `${early} of 20000 were in at 5%`;
}

function weightsMoveFew(before: number[], after: number[], variants: string[]): string | null {
  const a = flagConfig({ splits: variants.map((v, i) => ({ variant: v, weight: before[i]! })) }, variants);
  const b = flagConfig({ splits: variants.map((v, i) => ({ variant: v, weight: after[i]! })) }, variants);
  const ranges = (w: number[]) => {
    const total = w.reduce((x, y) => x + y, 0);
    let c = 0;
    return w.map((x) => Math.floor(((c += x) * 10000) / total));
  };
  const owner = (bounds: number[], bk: number) => bounds.findIndex((end) => bk < end);
  const [ra, rb] = [ranges(before), ranges(after)];
  let moved = 0;
  for (const s of subjects(30000)) {
    const bk = bucket("f:exp:split", s);
    const changedHands = owner(ra, bk) !== owner(rb, bk);
    const changed = variantOf(a, s) !== variantOf(b, s);
    if (changed !== changedHands) return `${s} (split bucket ${bk}) ${changed ? "moved" : "stayed"} but its range ${changedHands ? "changed hands" : "did not"}`;
    if (changed) moved++;
  }
  return moved > 0 ? null : "nobody moved";
}

function splitMatchesWeights(weights: number[]): string | null {
  const variants = weights.map((_, i) => `v${i}`);
  const c = flagConfig({ splits: variants.map((v, i) => ({ variant: v, weight: weights[i]! })) }, variants);
  const counts = variants.map(() => 0);
  for (const s of subjects(100000, "subject-")) counts[variants.indexOf(variantOf(c, s)!)]!++;
  const total = weights.reduce((x, y) => x + y, 0);
  const { statistic, p } = chiSquareTest(counts, weights.map((w) => w / total));
  return p > 0.001 ? null : `counts ${counts.join("/")}: chi-square ${statistic.toFixed(2)}, p = ${p}`;
}

function layersExclude(): string | null {
  const layer = (offset: number, width: number): Allocation => ({
    key: "exp", trafficSalt: "layer-1", rolloutOffset: offset, rollout: width, splits: [{ variant: "on", weight: 1 }],
  });
  const config: FlagConfig = {
    flags: Object.fromEntries([["a", layer(0, 3000)], ["b", layer(3000, 4000)]].map(([k, alloc]) => [k as string, {
      enabled: true, defaultVariant: "off", variants: { off: { value: false }, on: { value: true } }, allocations: [alloc as Allocation],
    }])),
  };
  const c = compileConfig(config);
  const inA = (s: string) => evaluate(c, "a", { subject: s }).variant === "on";
  const inB = (s: string) => evaluate(c, "b", { subject: s }).variant === "on";
  let a = 0, b = 0;
  for (const s of subjects(100000)) {
    if (inA(s) && inB(s)) return `${s} is in both layered flags`;
    if (inA(s)) a++;
    if (inB(s)) b++;
  }
  return Math.abs(a - 30000) < 1000 && Math.abs(b - 40000) < 1000 ? null : `layer sizes ${a} and ${b}`;
}

function holdoutHolds(): string | null {
  const config: FlagConfig = {
    flags: {
      f: {
        enabled: true, defaultVariant: "control",
        variants: { control: { value: "gpt-4o-mini" }, treatment: { value: "gpt-4o" } },
        allocations: [
          { key: "holdout", trafficSalt: "global-holdout", rollout: 1000, splits: [{ variant: "control", weight: 1 }] },
          { key: "exp", splits: [{ variant: "control", weight: 1 }, { variant: "treatment", weight: 1 }], log: true },
        ],
      },
    },
  };
  const c = compileConfig(config);
  let held = 0;
  for (const s of subjects(50000)) {
    const r = evaluate(c, "f", { subject: s });
    const inHoldout = bucket("global-holdout", s) < 1000;
    if (inHoldout !== (r.allocation === "holdout")) return `${s}: holdout bucket says ${inHoldout}, got allocation ${r.allocation}`;
    if (inHoldout && r.variant !== "control") return `${s} is held out but got ${r.variant}`;
    if (inHoldout) held++;
  }
  return Math.abs(held - 5000) < 400 ? null : `${held} of 50000 held out`;
}

/** The properties, each named as a sentence. */
export function properties(): Array<[string, () => string | null]> {
  return [
    ["raising a rollout 5% → 25% → 100% moves no subject already in to another variant", rampKeepsPeople],
    ["changing weights 50/50 → 60/40 moves only subjects whose range changed hands", () => weightsMoveFew([50, 50], [60, 40], ["a", "b"])],
    ["changing weights 1/1/1 → 2/1/1 moves only subjects whose range changed hands", () => weightsMoveFew([1, 1, 1], [2, 1, 1], ["a", "b", "c"])],
    ["over 100,000 subjects a 50/50 split matches its weights (chi-square p > 0.001)", () => splitMatchesWeights([50, 50])],
    ["over 100,000 subjects a 20/30/50 split matches its weights (chi-square p > 0.001)", () => splitMatchesWeights([20, 30, 50])],
    ["over 100,000 subjects a 1/1/1 split matches its weights (chi-square p > 0.001)", () => splitMatchesWeights([1, 1, 1])],
    ["two flags sharing a traffic salt with disjoint ranges never both include one subject", layersExclude],
    ["a holdout range always gets the default variant", holdoutHolds],
  ];
}
