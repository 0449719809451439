/**
 * The one shared suite: hash vectors, evaluation vectors, schema fixtures and the properties of
 * contract 2, replayed unchanged in Node, workerd, Deno and Chromium by runners of a few lines.
 * It returns one result per named case; each runner turns them into tests.
 *
 * @module
 */
import { bucket, compileConfig, evaluate, hashSubject, murmur3, type CompiledConfig } from "../src/core/index.ts";
import { validate, type FlagConfig } from "@edgeflag/config-schema";
import type { Vectors } from "./vectors.ts";
import { properties } from "./properties.ts";
import { signatureCases } from "./signature-cases.ts";

export interface CaseResult { name: string; ok: boolean; detail?: string }

/** The spec version this suite implements; the vectors must carry the same. */
export const SPEC_VERSION = 1;

const RESULT_FIELDS = ["variant", "value", "allocation", "reason", "log", "errorCode"] as const;

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "undefined";
}

export function run(name: string, body: () => string | null): CaseResult {
  try {
    const failure = body();
    return failure === null ? { name, ok: true } : { name, ok: false, detail: failure };
  } catch (e) {
    return { name, ok: false, detail: `threw: ${(e as Error)?.stack ?? String(e)}` };
  }
}

function hashCases(v: Vectors): CaseResult[] {
  const out = [run("hash vectors carry the spec version", () => (v.hash.specVersion === SPEC_VERSION ? null : `specVersion ${v.hash.specVersion}`))];
  for (const r of v.hash.reference) {
    out.push(run(`published MurmurHash3 value of ${JSON.stringify(r.text)}`, () => {
      const got = murmur3(r.text);
      return got === r.hash ? null : `got ${got}, want ${r.hash}`;
    }));
  }
  for (const c of v.hash.cases) {
    out.push(run(`hash ${c.name}: ${JSON.stringify(c.salt)} . ${JSON.stringify(c.subject.slice(0, 24))}${c.subject.length > 24 ? "…" : ""}`, () => {
      const h = hashSubject(c.salt, c.subject);
      const b = bucket(c.salt, c.subject);
      return h === c.hash && b === c.bucket ? null : `got hash ${h} bucket ${b}, want ${c.hash} ${c.bucket}`;
    }));
  }
  return out;
}

function evaluationCases(v: Vectors): CaseResult[] {
  const out = [run("evaluation vectors carry the spec version", () => (v.evaluation.specVersion === SPEC_VERSION ? null : `specVersion ${v.evaluation.specVersion}`))];
  const compiled = new Map<string, CompiledConfig>();
  for (const c of v.evaluation.cases) {
    out.push(run(`eval: ${c.name}`, () => {
      let config = compiled.get(c.config);
      if (!config) compiled.set(c.config, (config = compileConfig(v.evaluation.configs[c.config] as FlagConfig)));
      const got = evaluate(config, c.flag, c.context as never, c.default) as unknown as Record<string, unknown>;
      const diffs = RESULT_FIELDS.filter((f) => canonical(got[f]) !== canonical(c.expected[f]));
      return diffs.length === 0 ? null : diffs.map((f) => `${f}: got ${canonical(got[f])}, want ${canonical(c.expected[f])}`).join("; ");
    }));
  }
  return out;
}

function schemaCases(v: Vectors): CaseResult[] {
  const out: CaseResult[] = [];
  for (const [name, doc] of Object.entries(v.valid)) {
    out.push(run(`schema: valid/${name}.json is valid`, () => {
      const r = validate(doc);
      return r.valid ? null : r.errors.map((e) => `${e.pointer}: ${e.message}`).join("; ");
    }));
  }
  for (const [name, fixture] of Object.entries(v.invalid)) {
    out.push(run(`schema: invalid/${name}.json is rejected at its pointer`, () => {
      const r = validate(fixture.config);
      if (r.valid) return "accepted";
      const missing = fixture.errors.filter((want) => !r.errors.some((e) => e.pointer === want.pointer));
      const unnamed = r.errors.filter((e) => typeof e.message !== "string" || e.message.length === 0);
      if (missing.length > 0) return `no error at ${missing.map((m) => m.pointer).join(", ")}; got ${r.errors.map((e) => `${e.pointer}: ${e.message}`).join("; ")}`;
      return unnamed.length > 0 ? "an error has no message" : null;
    }));
  }
  return out;
}

/**
 * Runs every case and returns one result per case, in a stable order.
 *
 * @example
 * const results = await runSuite(await loadVectors((f) => readFile(`config-schema/vectors/${f}`, "utf8")));
 */
export async function runSuite(vectors: Vectors): Promise<CaseResult[]> {
  return [
    ...hashCases(vectors),
    ...(await signatureCases(vectors)),
    ...evaluationCases(vectors),
    ...schemaCases(vectors),
    ...properties().map(([name, body]) => run(`property: ${name}`, body)),
  ];
}
