/**
 * The CLI's side of "no route to someone else's wallet": a publish through the KV paths has no
 * Worker to check the config, so the CLI reads ROUTER_UPSTREAMS from the same wrangler.toml the
 * Worker deploys with and refuses, as the Worker's admin publish does, a config that would send
 * a key secret to an origin not allowed for it.
 *
 * @module
 */
import { formatErrors, type FlagConfig } from "@edgeflag/config-schema";
import { checkUpstreams, parseUpstreams, UpstreamsError, type AllowedUpstreams } from "@edgeflag/config-schema/domain";
import { CliError } from "./io.ts";

/**
 * ROUTER_UPSTREAMS of a wrangler.toml ([vars]); `path` defaults to wrangler's own lookup from the
 * working directory. No file or no var: an empty map (every key secret goes nowhere).
 *
 * @example
 * const allowed = await readAllowedUpstreams("wrangler.toml");
 */
export async function readAllowedUpstreams(path?: string): Promise<AllowedUpstreams> {
  const { experimental_readRawConfig } = await import("wrangler");
  let vars: Record<string, unknown> | undefined;
  try {
    vars = experimental_readRawConfig(path === undefined ? {} : { config: path }).rawConfig.vars as Record<string, unknown> | undefined;
  } catch (e) {
    throw new CliError(`cannot read ${path ?? "wrangler.toml"}: ${(e as Error).message.split("\n")[0]}`);
  }
  try {
    return parseUpstreams(vars?.ROUTER_UPSTREAMS);
  } catch (e) {
    if (e instanceof UpstreamsError) throw new CliError(`${path ?? "wrangler.toml"}: ${e.message}`);
    throw e;
  }
}

/**
 * Throws a CliError listing `pointer: message` lines when the config sends a key secret where
 * `allowed` does not let it go.
 *
 * @example
 * refuseForeignUpstreams("flags.json", config, await readAllowedUpstreams());
 */
export function refuseForeignUpstreams(file: string, config: FlagConfig, allowed: AllowedUpstreams): void {
  const errors = checkUpstreams(config, allowed);
  if (errors.length === 0) return;
  throw new CliError(`${file} sends an upstream key secret where ROUTER_UPSTREAMS (wrangler.toml) does not allow it:\n${formatErrors(errors)}`, errors);
}
