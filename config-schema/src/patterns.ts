/**
 * The name patterns of the v1 schema, read from the schema itself so that code checking a salt
 * or an env name outside a config (CLI arguments, URL parameters) cannot drift from it.
 *
 * @module
 */
import schema from "../schema/flag-config.v1.json" with { type: "json" };

/** A hash salt: 1 to 128 of A-Z a-z 0-9 _ : - (never "."). */
export const SALT_PATTERN: RegExp = new RegExp(schema.$defs.Salt.pattern);
/** An environment name: 1 to 64 of A-Z a-z 0-9 _ -. */
export const ENV_PATTERN: RegExp = new RegExp(schema.$defs.EnvName.pattern);
