/**
 * Reading the Worker's secrets, which may be unset even though `Env` types them as strings.
 *
 * @module
 */

/**
 * A secret's value, or undefined when it is unset or blank.
 *
 * @example
 * if (secret(env, "ADMIN_TOKEN") === undefined) return adminDisabled();
 */
export function secret(env: Env, name: "ADMIN_TOKEN" | "SIGNING_KEY" | "KEY_SET" | "RAMP_WEBHOOK_URL"): string | undefined {
  const value: unknown = (env as unknown as Record<string, unknown>)[name];
  // A secret pasted with a trailing newline must still match.
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
