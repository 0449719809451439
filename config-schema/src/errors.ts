/**
 * Validation errors: every one names an RFC 6901 JSON pointer into the document and a reason.
 *
 * @module
 */

/** One problem found in a config: where (a JSON pointer) and why. */
export interface ValidationError {
  /** RFC 6901 pointer to the offending value, e.g. `/flags/checkout/allocations/0/splits/1/variant`. */
  pointer: string;
  /** A sentence a person can act on. */
  message: string;
}

/** Escapes one reference token of a JSON pointer (RFC 6901 §3). */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * Builds a JSON pointer from reference tokens.
 *
 * @example
 * pointer("flags", "a/b", "allocations", 0) === "/flags/a~1b/allocations/0"
 */
export function pointer(...tokens: Array<string | number>): string {
  return tokens.map((t) => "/" + escapePointerToken(t)).join("");
}

/** Formats errors one per line, `pointer: message`, the form the CLI prints. */
export function formatErrors(errors: readonly ValidationError[]): string {
  return errors.map((e) => `${e.pointer || "/"}: ${e.message}`).join("\n");
}
