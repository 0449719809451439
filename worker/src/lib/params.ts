/**
 * Checking path and query parameters; every refusal is a 400 with a pointer to the parameter.
 *
 * @module
 */
import { ENV_PATTERN } from "@edgeflag/config-schema";
import { HttpError } from "./http.ts";

/**
 * The env name of a request, checked against ENV_PATTERN.
 *
 * @example
 * const name = envName(params.env); // "production"
 */
export function envName(value: string | null | undefined, pointer = "/env"): string {
  if (value === null || value === undefined || value === "") throw new HttpError(400, "ENV_REQUIRED", "env is required", { pointer });
  if (!ENV_PATTERN.test(value)) throw new HttpError(400, "INVALID_ENV", "env must be 1 to 64 of A-Z a-z 0-9 _ -", { pointer });
  return value;
}

/**
 * A version number: a positive integer, given as text (path) or as a JSON number (body).
 *
 * @example
 * versionNumber(params.n, "/version") === 3
 */
export function versionNumber(value: unknown, pointer: string): number {
  const n = typeof value === "string" && /^[1-9]\d{0,15}$/.test(value) ? Number(value) : value;
  if (typeof n === "number" && Number.isSafeInteger(n) && n >= 1) return n;
  throw new HttpError(400, "INVALID_VERSION", "a version is a positive integer", { pointer });
}
