/**
 * Model-call variants (`$defs/ModelCall`): what JSON Schema cannot say about them, shared by
 * `validate()` and the router. A fallback names a model-call variant of the same flag, never
 * itself, and chains of fallbacks end within {@link MAX_FALLBACKS} links without a cycle; an
 * allocation's shadow names a model-call variant; `{{name}}` variables in a template or a system
 * prompt are well-formed.
 *
 * @module
 */
import { pointer, type ValidationError } from "./errors.ts";
import type { ModelCall } from "./types.gen.ts";

/** How many fallbacks one call may go through: an execution records at most 1 + 3 attempts. */
export const MAX_FALLBACKS = 3;

/** A template variable's name. */
export const VARIABLE_NAME: RegExp = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Whether a variant value is meant as a model call (an object with a `provider`): such a value
 * is validated as a ModelCall, any other value is free JSON.
 *
 * @example
 * isModelCall({ provider: "fixed", answer: "42" }) === true
 * isModelCall({ model: "gpt-4" }) === false
 */
export function isModelCall(value: unknown): value is ModelCall {
  return isObject(value) && Object.hasOwn(value, "provider");
}

/** The variables of a template, or where it is malformed. */
export type TemplateVariables = { ok: true; names: string[] } | { ok: false; index: number; message: string };

/**
 * The `{{name}}` variables of a template or system prompt, in order of first use. Every `{{`
 * must open a well-formed `{{name}}` (no spaces, a name of ^[A-Za-z_][A-Za-z0-9_]{0,63}$), so
 * a typo is caught at publish instead of reaching the model verbatim.
 *
 * @example
 * templateVariables("Answer {{input}} for {{plan}}") // { ok: true, names: ["input", "plan"] }
 * templateVariables("Hi {{ name }}") // { ok: false, index: 3, message: '"{{" at character 3 must open a {{name}} …' }
 */
export function templateVariables(text: string): TemplateVariables {
  const names: string[] = [];
  for (let at = text.indexOf("{{"); at !== -1; at = text.indexOf("{{", at + 2)) {
    const end = text.indexOf("}}", at + 2);
    const name = end === -1 ? "" : text.slice(at + 2, end);
    if (!VARIABLE_NAME.test(name)) {
      return { ok: false, index: at, message: `"{{" at character ${at} must open a {{name}} variable (a name of A-Z a-z 0-9 _, not starting with a digit, at most 64 long, no spaces)` };
    }
    if (!names.includes(name)) names.push(name);
    at = end;
  }
  return { ok: true, names };
}

/** The variable errors of one model call's template and system text. */
function checkTemplates(call: Loose, at: string[]): ValidationError[] {
  const texts: Array<[unknown, string[]]> = [[call.template, [...at, "template"]], [isObject(call.system) ? call.system.text : undefined, [...at, "system", "text"]]];
  return texts.flatMap(([text, where]) => {
    if (typeof text !== "string") return [];
    const parsed = templateVariables(text);
    return parsed.ok ? [] : [{ pointer: pointer(...where), message: parsed.message }];
  });
}

/** A variant's model call, or undefined. */
function modelCallOf(variants: Loose, key: string): Loose | undefined {
  const value = Object.hasOwn(variants, key) && isObject(variants[key]) ? (variants[key] as Loose).value : undefined;
  return isModelCall(value) ? (value as Loose) : undefined;
}

/**
 * The fallback of `start`: it names another model-call variant, and the chain from `start` neither
 * loops nor runs past MAX_FALLBACKS (a broken link further down is its own variant's error).
 */
function checkFallback(variants: Loose, start: string, at: string[]): ValidationError | null {
  const first = modelCallOf(variants, start)?.fallback;
  if (typeof first !== "string") return null;
  const where = pointer(...at, "fallback");
  if (first === start) return { pointer: where, message: `variant "${start}" names itself as its fallback` };
  if (!Object.hasOwn(variants, first)) return { pointer: where, message: `fallback names variant "${first}", which the flag does not define` };
  if (!modelCallOf(variants, first)) return { pointer: where, message: `fallback names variant "${first}", whose value is not a model call (an object with a "provider")` };
  const chain = [start];
  for (let next: unknown = first; typeof next === "string" && modelCallOf(variants, next); next = modelCallOf(variants, next)!.fallback) {
    if (chain.includes(next)) return { pointer: where, message: `fallbacks loop: ${[...chain, next].join(" → ")}` };
    chain.push(next);
    if (chain.length > MAX_FALLBACKS + 1) return { pointer: where, message: `fallbacks run ${chain.length - 1} deep (${chain.join(" → ")}); at most ${MAX_FALLBACKS} are followed` };
  }
  return null;
}

/**
 * The model-call errors of one flag: fallbacks, shadows and template variables.
 *
 * @example
 * checkModelCalls("chat", { variants: { a: { value: { provider: "fixed", answer: "42", fallback: "a" } } }, allocations: [] })
 * // → [{ pointer: "/flags/chat/variants/a/value/fallback", message: 'variant "a" names itself as its fallback' }]
 */
export function checkModelCalls(flagKey: string, flag: Loose): ValidationError[] {
  const errors: ValidationError[] = [];
  const variants = isObject(flag.variants) ? flag.variants : {};
  for (const key of Object.keys(variants)) {
    const call = modelCallOf(variants, key);
    if (!call) continue;
    const at = ["flags", flagKey, "variants", key, "value"];
    errors.push(...checkTemplates(call, at));
    const fallback = checkFallback(variants, key, at);
    if (fallback) errors.push(fallback);
  }
  const allocations = Array.isArray(flag.allocations) ? flag.allocations : [];
  allocations.forEach((alloc, i) => {
    const shadow = isObject(alloc) && isObject(alloc.shadow) ? alloc.shadow.variant : undefined;
    if (typeof shadow !== "string") return;
    const where = pointer("flags", flagKey, "allocations", i, "shadow", "variant");
    if (!Object.hasOwn(variants, shadow)) errors.push({ pointer: where, message: `shadow names variant "${shadow}", which the flag does not define` });
    else if (!modelCallOf(variants, shadow)) errors.push({ pointer: where, message: `shadow names variant "${shadow}", whose value is not a model call (an object with a "provider")` });
  });
  return errors;
}
