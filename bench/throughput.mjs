/**
 * The timed loops. Each loop evaluates every pre-generated triple once, building the per-request
 * context inline (as a server does per request), and folds every result into counters and a
 * checksum so that no evaluation can be optimized away.
 */
import { COUNTRIES } from "./gen.mjs";

/** edgeflag core: evaluate(compiled, flag, {subject, attributes}, default). */
export function runEdgeflag(evaluate, compiled, meta, t) {
  const keys = meta.map((m) => m.key);
  const defaults = meta.map((m) => m.defaultValue);
  const { n, flagIdx, countryIdx, subjects } = t;
  let assigned = 0;
  let nonDefault = 0;
  let checksum = 0;
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const f = flagIdx[i];
    const r = evaluate(compiled, keys[f], { subject: subjects[i], attributes: { country: COUNTRIES[countryIdx[i]] } }, defaults[f]);
    if (r.allocation !== null) assigned++;
    if (r.value !== defaults[f]) nonDefault++;
    checksum = (checksum + r.value.length * (i & 7)) | 0;
  }
  const ms = performance.now() - start;
  return { ms, assigned, nonDefault, checksum };
}

/** GrowthBookClient: client.evalFeature(flag, {attributes: {id, country}}), its per-request path. */
export function runGrowthBook(client, meta, t) {
  const keys = meta.map((m) => m.key);
  const defaults = meta.map((m) => m.defaultValue);
  const { n, flagIdx, countryIdx, subjects } = t;
  let assigned = 0;
  let nonDefault = 0;
  let checksum = 0;
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const f = flagIdx[i];
    const r = client.evalFeature(keys[f], { attributes: { id: subjects[i], country: COUNTRIES[countryIdx[i]] } });
    if (r.source === "experiment") assigned++;
    if (r.value !== defaults[f]) nonDefault++;
    checksum = (checksum + r.value.length * (i & 7)) | 0;
  }
  const ms = performance.now() - start;
  return { ms, assigned, nonDefault, checksum };
}

/**
 * One untimed pass that audits both sides evaluation by evaluation: nobody outside a flag's
 * countries may be assigned, every served value must be one of the flag's variant values, and
 * the edgeflag reason must be SPLIT exactly when an allocation decided.
 */
export function audit(evaluate, compiled, gbClient, config, meta, t) {
  const problems = [];
  const note = (msg) => problems.length < 5 && problems.push(msg);
  for (let i = 0; i < t.n; i++) {
    const m = meta[t.flagIdx[i]];
    const country = COUNTRIES[t.countryIdx[i]];
    const values = Object.values(config.flags[m.key].variants).map((v) => v.value);
    const e = evaluate(compiled, m.key, { subject: t.subjects[i], attributes: { country } }, m.defaultValue);
    const g = gbClient.evalFeature(m.key, { attributes: { id: t.subjects[i], country } });
    const targeted = m.countries.has(country);
    if (!targeted && e.allocation !== null) note(`edgeflag assigned ${m.key} outside its countries (${country})`);
    if (!targeted && g.source === "experiment") note(`GrowthBook assigned ${m.key} outside its countries (${country})`);
    if (!values.includes(e.value)) note(`edgeflag served an unknown value for ${m.key}: ${e.value}`);
    if (!values.includes(g.value)) note(`GrowthBook served an unknown value for ${m.key}: ${g.value}`);
    if ((e.reason === "SPLIT") !== (e.allocation !== null)) note(`edgeflag reason ${e.reason} with allocation ${e.allocation}`);
    if (e.allocation === null && e.reason !== "DEFAULT") note(`edgeflag unexpected reason ${e.reason} for ${m.key}`);
  }
  return problems;
}

/**
 * Runs every implementation `runs + 1` times (the first is a warm-up), interleaved, rotating the
 * order each round so that no implementation always runs right after another's garbage.
 * `impls` is a list of {name, run: () => {ms, assigned, nonDefault, checksum}}.
 */
export function interleave(impls, runs) {
  const results = impls.map(() => []);
  for (let round = 0; round <= runs; round++) {
    for (let j = 0; j < impls.length; j++) {
      const idx = (j + round) % impls.length;
      const r = impls[idx].run();
      if (round > 0) results[idx].push(r);
      else results[idx].warmup = r;
    }
  }
  return results;
}
