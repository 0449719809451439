/**
 * The evaluators file of `edgeflag experiment run --evaluators`: JSON,
 * `{ "evaluators": [ { "name", "type", …options } ], "summary": [ … ] }`, or a comma list of
 * built-in types without options (`exact-match,token-f1,latency`). Every mistake is reported with
 * its JSON pointer. Types and options are listed in README.md ("Offline experiments").
 *
 * @module
 */
import { backtrackingRisk, type ModelCall } from "@edgeflag/config-schema";
import { CliError, readJson } from "../io.ts";

export const EVALUATOR_TYPES = ["exact-match", "contains", "regex", "json", "token-f1", "similarity", "latency", "cost", "llm-judge", "module"] as const;
export const SUMMARY_TYPES = ["error-rate", "latency-p95", "total-cost", "module"] as const;

/** One evaluator of the file. */
export interface EvaluatorSpec {
  name: string;
  type: (typeof EVALUATOR_TYPES)[number];
  higherIsBetter?: boolean;
  /** exact-match, contains: default false (case-insensitive) and true (trim). */
  caseSensitive?: boolean;
  trim?: boolean;
  /** contains: the text to look for; default the record's expected. */
  value?: string;
  /** regex: the pattern and its flags (i, m, s, u). */
  pattern?: string;
  flags?: string;
  /** json: a JSON Schema (2020-12) the output must also satisfy. */
  schema?: Record<string, unknown>;
  /** llm-judge: the judge's model call and rubric. */
  model?: ModelCall;
  rubric?: string;
  /** module: a local .mjs/.js/.ts file whose default export scores a cell. */
  path?: string;
  /** The difference worth detecting, in the score's units (for "records needed"). */
  effect?: number;
}

/** One summary evaluator: over all of a variant's cells. */
export interface SummarySpec {
  name: string;
  type: (typeof SUMMARY_TYPES)[number];
  path?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function check(ok: boolean, pointer: string, message: string): void {
  if (!ok) throw new CliError(`${pointer}: ${message}`);
}

function checkEvaluator(e: unknown, at: string): EvaluatorSpec {
  check(isObject(e), at, "must be an object");
  const spec = e as Record<string, unknown>;
  check(typeof spec.type === "string" && (EVALUATOR_TYPES as readonly string[]).includes(spec.type), `${at}/type`, `must be one of ${EVALUATOR_TYPES.join(", ")}`);
  const name = spec.name ?? spec.type;
  check(typeof name === "string" && NAME.test(name), `${at}/name`, "must be 1 to 64 of A-Z a-z 0-9 _ . -");
  for (const key of ["caseSensitive", "trim", "higherIsBetter"]) check(spec[key] === undefined || typeof spec[key] === "boolean", `${at}/${key}`, "must be a boolean");
  for (const key of ["value", "pattern", "flags", "rubric", "path"]) check(spec[key] === undefined || typeof spec[key] === "string", `${at}/${key}`, "must be a string");
  check(spec.effect === undefined || (typeof spec.effect === "number" && spec.effect > 0), `${at}/effect`, "must be a number > 0");
  if (spec.type === "regex") {
    check(typeof spec.pattern === "string", `${at}/pattern`, "is required");
    check(/^[imsu]*$/.test((spec.flags as string | undefined) ?? ""), `${at}/flags`, "may hold only i, m, s, u");
    const risk = backtrackingRisk(spec.pattern as string);
    check(risk === null, `${at}/pattern`, risk ?? "");
  }
  if (spec.type === "json") check(spec.schema === undefined || isObject(spec.schema), `${at}/schema`, "must be a JSON Schema object");
  if (spec.type === "llm-judge") {
    check(isObject(spec.model) && typeof (spec.model as Record<string, unknown>).provider === "string", `${at}/model`, "must be a model call ({ provider, model, baseUrl, apiKeySecret, … })");
    check(typeof spec.rubric === "string" && spec.rubric.length > 0, `${at}/rubric`, "is required");
  }
  if (spec.type === "module") check(typeof spec.path === "string", `${at}/path`, "is required");
  return { ...spec, name } as unknown as EvaluatorSpec;
}

function checkSummary(e: unknown, at: string): SummarySpec {
  check(isObject(e), at, "must be an object");
  const spec = e as Record<string, unknown>;
  check(typeof spec.type === "string" && (SUMMARY_TYPES as readonly string[]).includes(spec.type), `${at}/type`, `must be one of ${SUMMARY_TYPES.join(", ")}`);
  const name = spec.name ?? spec.type;
  check(typeof name === "string" && NAME.test(name), `${at}/name`, "must be 1 to 64 of A-Z a-z 0-9 _ . -");
  if (spec.type === "module") check(typeof spec.path === "string", `${at}/path`, "is required");
  return { name, type: spec.type, ...(typeof spec.path === "string" ? { path: spec.path } : {}) } as SummarySpec;
}

function unique<T extends { name: string }>(list: T[], at: string): T[] {
  const seen = new Set<string>();
  list.forEach((e, i) => {
    check(!seen.has(e.name), `${at}/${i}/name`, `"${e.name}" is used twice`);
    seen.add(e.name);
  });
  return list;
}

/**
 * Reads `--evaluators`: a JSON file (by its .json ending) or a comma list of built-in types.
 *
 * @example
 * const { evaluators, summary } = await readEvaluators("exact-match,latency");
 */
export async function readEvaluators(value: string): Promise<{ evaluators: EvaluatorSpec[]; summary: SummarySpec[]; file?: string }> {
  if (!value.endsWith(".json")) {
    const list = value.split(",").map((type, i) => checkEvaluator({ type: type.trim() }, `--evaluators/${i}`));
    return { evaluators: unique(list, "--evaluators"), summary: [] };
  }
  const doc = await readJson(value);
  try {
    check(isObject(doc), "", "the evaluators file must be an object { evaluators, summary }");
    const { evaluators, summary } = doc as Record<string, unknown>;
    check(Array.isArray(evaluators) && evaluators.length > 0, "/evaluators", "must be a non-empty array");
    check(summary === undefined || Array.isArray(summary), "/summary", "must be an array");
    return {
      evaluators: unique((evaluators as unknown[]).map((e, i) => checkEvaluator(e, `/evaluators/${i}`)), "/evaluators"),
      summary: unique(((summary as unknown[] | undefined) ?? []).map((e, i) => checkSummary(e, `/summary/${i}`)), "/summary"),
      file: value,
    };
  } catch (e) {
    throw e instanceof CliError ? new CliError(`${value}: ${e.message}`) : e;
  }
}
