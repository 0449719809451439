/**
 * Seeded, deterministic generation of the benchmark workload: 100 flags as an edgeflag config and
 * the equivalent GrowthBook features payload, plus the (flag, subject, country) triples.
 *
 * Flag shape (both sides):
 * - 2-variant flags: variants control / treatment; default = control; one allocation targeted at
 *   `country one_of [...]`, `rollout` R basis points, split 50/50 control vs treatment.
 *   GrowthBook: defaultValue = control, experiment rule, variations [control, treatment].
 * - 3-variant flags: variants control / a / b; default = control (served outside the allocation);
 *   the allocation splits 50/50 between the two challengers a and b (control gets no split).
 *   GrowthBook: defaultValue = control, experiment rule, variations [a, b].
 */

/** mulberry32: small, fast, seeded PRNG returning floats in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const MODELS = [
  "gpt-4o-mini", "gpt-4o", "gpt-4.1", "o3-mini", "claude-3-5-haiku", "claude-3-7-sonnet",
  "claude-sonnet-4", "llama-3.1-70b-instruct", "llama-3.3-70b", "mistral-large-2411",
  "gemini-1.5-flash", "gemini-2.0-flash", "gemini-2.5-pro", "qwen2.5-72b-instruct", "deepseek-v3",
];

/** The attribute universe: each flag targets 3–7 of these 10, so about half of the traffic matches. */
export const COUNTRIES = ["US", "FR", "DE", "GB", "JP", "BR", "IN", "CA", "ES", "NL"];

function pick(rand, list, count) {
  const pool = list.slice();
  const out = [];
  while (out.length < count) out.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]);
  return out;
}

/**
 * Generates `n` flags. Returns the edgeflag config, the GrowthBook payload and a plain description
 * of each flag (used by the benchmark loops and the expected-assignment computation).
 */
export function generateFlags(n = 100, seed = 0xed9ef1a6) {
  const rand = prng(seed);
  const flags = {};
  const features = {};
  const meta = [];
  for (let f = 0; f < n; f++) {
    const key = `flag-${String(f).padStart(3, "0")}`;
    const variantCount = rand() < 0.5 ? 2 : 3;
    const models = pick(rand, MODELS, variantCount);
    const names = variantCount === 2 ? ["control", "treatment"] : ["control", "a", "b"];
    const countries = pick(rand, COUNTRIES, 3 + Math.floor(rand() * 5)).sort();
    const rollout = 2000 + 500 * Math.floor(rand() * 17); // 20% .. 100% in 5% steps
    const splitNames = variantCount === 2 ? ["control", "treatment"] : ["a", "b"];
    const valueOf = Object.fromEntries(names.map((name, i) => [name, models[i]]));

    flags[key] = {
      enabled: true,
      variants: Object.fromEntries(names.map((name) => [name, { value: valueOf[name] }])),
      defaultVariant: "control",
      allocations: [
        {
          key: "exp",
          rules: [{ conditions: [{ attribute: "country", operator: "one_of", values: countries }] }],
          rollout,
          splits: splitNames.map((variant) => ({ variant, weight: 5000 })),
          log: true,
        },
      ],
    };

    features[key] = {
      defaultValue: valueOf.control,
      rules: [
        {
          key: `${key}-exp`,
          seed: `${key}-exp`,
          hashVersion: 2,
          hashAttribute: "id",
          condition: { country: { $in: countries } },
          coverage: rollout / 10000,
          variations: splitNames.map((name) => valueOf[name]),
          weights: [0.5, 0.5],
        },
      ],
    };

    meta.push({
      key,
      defaultValue: valueOf.control,
      countries: new Set(countries),
      rollout,
      // Probability that an assigned subject gets a value other than the default.
      nonDefaultShare: variantCount === 2 ? 0.5 : 1,
      variantCount,
    });
  }
  return { config: { flags }, payload: { features }, meta };
}

/**
 * Pre-generates `n` (flag, subject, country) triples as compact parallel arrays. Subjects are
 * `user-<k>` with k uniform in [0, 10n) — mostly distinct, as in real traffic.
 */
export function generateTriples(n, flagCount, seed = 0x5eed1234) {
  const rand = prng(seed);
  const flagIdx = new Uint8Array(n);
  const countryIdx = new Uint8Array(n);
  const subjects = new Array(n);
  for (let i = 0; i < n; i++) {
    flagIdx[i] = Math.floor(rand() * flagCount);
    countryIdx[i] = Math.floor(rand() * COUNTRIES.length);
    subjects[i] = `user-${Math.floor(rand() * n * 10)}`;
  }
  return { n, flagIdx, countryIdx, subjects };
}

/** Expected counts of assigned and non-default evaluations, from the flag definitions alone. */
export function expectedCounts(meta, triples) {
  let assigned = 0;
  let nonDefault = 0;
  for (let i = 0; i < triples.n; i++) {
    const m = meta[triples.flagIdx[i]];
    if (!m.countries.has(COUNTRIES[triples.countryIdx[i]])) continue;
    const p = m.rollout / 10000;
    assigned += p;
    nonDefault += p * m.nonDefaultShare;
  }
  return { assigned, nonDefault };
}
