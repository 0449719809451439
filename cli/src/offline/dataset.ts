/**
 * The JSONL dataset of an offline experiment: one JSON object a line with `input` (a string, an
 * OpenAI messages array, or any JSON a task module takes), optional `expected`, `metadata` (an
 * object) and `id` (a string or number; default `line-<n>`). A malformed line is reported with
 * its number and left out; the others run.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { CliError } from "../io.ts";

/** One record of the dataset. */
export interface DatasetRecord {
  id: string;
  line: number;
  input: unknown;
  expected?: unknown;
  metadata: Record<string, unknown>;
}

/** A line that was left out, and why. */
export interface DatasetError {
  line: number;
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function parseLine(text: string, line: number): DatasetRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return `not JSON: ${(e as Error).message}`;
  }
  if (!isObject(value)) return "a line must be a JSON object";
  if (!Object.hasOwn(value, "input")) return "/input is required";
  const { id, metadata } = value;
  if (id !== undefined && typeof id !== "string" && typeof id !== "number") return "/id must be a string or a number";
  if (metadata !== undefined && !isObject(metadata)) return "/metadata must be an object";
  return { id: id === undefined ? `line-${line}` : String(id), line, input: value.input, ...(Object.hasOwn(value, "expected") ? { expected: value.expected } : {}), metadata: metadata ?? {} };
}

/**
 * Reads a JSONL dataset. Blank lines are skipped; a repeated id is an error on the later line.
 *
 * @example
 * const { records, errors } = readDataset("data.jsonl");
 * for (const e of errors) console.error(`data.jsonl:${e.line}: ${e.message}`);
 */
export function readDataset(path: string): { records: DatasetRecord[]; errors: DatasetError[] } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  const records: DatasetRecord[] = [];
  const errors: DatasetError[] = [];
  const ids = new Map<string, number>();
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "") return;
    const parsed = parseLine(raw, line);
    if (typeof parsed === "string") return void errors.push({ line, message: parsed });
    const first = ids.get(parsed.id);
    if (first !== undefined) return void errors.push({ line, message: `/id "${parsed.id}" repeats line ${first}` });
    ids.set(parsed.id, line);
    records.push(parsed);
  });
  if (records.length === 0) throw new CliError(`${path} has no valid record${errors.length ? ` (${errors.length} malformed line${errors.length === 1 ? "" : "s"}, first at line ${errors[0]!.line}: ${errors[0]!.message})` : ""}`);
  return { records, errors };
}
