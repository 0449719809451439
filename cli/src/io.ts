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

/** C0 and C1 control characters but tab and line feed: ESC, CR, BS, CSI (U+009B)… */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** The same, line feed and tab included: for one field of a row. */
const CONTROL_IN_FIELD = /[\u0000-\u001f\u007f-\u009f]/g;
const escapeChar = (c: string) => (c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/**
 * Text as a terminal may show it: control characters (ESC, CR, CSI…) become visible escapes, so
 * stored text (an actor, a reason, a server's message) cannot move the cursor, retitle the
 * terminal or forge lines. Line feeds and tabs are kept: the caller's layout.
 *
 * @example
 * printable("ok\u001b]0;pwned\u0007") // → "ok\\u001b]0;pwned\\u0007"
 */
export function printable(text: string): string {
  return text.replace(CONTROL, escapeChar);
}

/**
 * One field of a row or a line: every control character escaped, line feeds and tabs included,
 * so a value cannot break out of its cell.
 *
 * @example
 * field("rollback\nv9  admin  forged row") // → "rollback\\nv9  admin  forged row"
 */
export function field(text: string): string {
  return text.replace(CONTROL_IN_FIELD, escapeChar);
}

/** Writes human output (never JSON) with control characters made visible. */
export function print(text: string): void {
  const safe = printable(text);
  process.stdout.write(safe.endsWith("\n") ? safe : safe + "\n");
}

/** Writes a human message to standard error with control characters made visible. */
export function printError(text: string): void {
  const safe = printable(text);
  process.stderr.write(safe.endsWith("\n") ? safe : safe + "\n");
}

export function printJson(value: unknown): void {
  // JSON.stringify escapes C0 controls; C1 ones (U+0080–U+009F) are escaped here for terminals.
  process.stdout.write(JSON.stringify(value, null, 2).replace(/[\u0080-\u009f]/g, escapeChar) + "\n");
}

export function requirePositionals(positionals: string[], names: string[]): string[] {
  if (positionals.length !== names.length) {
    throw new UsageError(`expected ${names.map((n) => `<${n}>`).join(" ")}, got ${count(positionals.length, "argument")}`);
  }
  return positionals;
}
