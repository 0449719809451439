/**
 * Reading config files with one-line errors, and writing output.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { validate, formatErrors, type FlagConfig, type ValidationError } from "@edgeflag/config-schema";
import { UsageError } from "./args.ts";

/** A user error that the CLI prints as one line (or a list) and exits 1 on. */
export class CliError extends Error {
  readonly errors: ValidationError[];
  constructor(message: string, errors: ValidationError[] = []) {
    super(message);
    this.errors = errors;
  }
}

const REASONS: Record<string, string> = { ENOENT: "no such file", EACCES: "permission denied", EISDIR: "is a directory" };

/** Reads and parses a JSON file; unreadable files and malformed JSON become one-line CliErrors. */
export async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    throw new CliError(`cannot read ${path}: ${REASONS[code] ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * "1 error", "2 errors": a count with its noun.
 *
 * @example
 * count(1, "error") // → "1 error"
 */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** Reads a config and refuses it, listing every error with its pointer, unless it is valid. */
export async function readValidConfig(path: string): Promise<FlagConfig> {
  const result = validate(await readJson(path));
  if (!result.valid) throw new CliError(`${path} is not a valid config (${count(result.errors.length, "error")}):\n${formatErrors(result.errors)}`, result.errors);
  return result.config;
}

export function print(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : text + "\n");
}

export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}

export function requirePositionals(positionals: string[], names: string[]): string[] {
  if (positionals.length !== names.length) {
    throw new UsageError(`expected ${names.map((n) => `<${n}>`).join(" ")}, got ${count(positionals.length, "argument")}`);
  }
  return positionals;
}
