// `npm start`'s demo config: published to local KV only when the env has nothing, or when the
// latest version there is npm start's own demo (then refreshed when the demo file changed or is
// about to expire). A version anyone else published is never replaced.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { DEMO_ACTOR } from "../../config-schema/src/domain/version-record.ts";

const root = new URL("../../", import.meta.url).pathname;
const cli = join(root, "cli/bin/edgeflag.mjs");

/** The actor npm start publishes as: how it tells its own demo from a user's config (one constant, shared with the Worker). */
export { DEMO_ACTOR };
const WEEK_MS = 7 * 86_400_000;

export interface SeedOptions {
  env: string;
  config: string;
  /** wrangler's --persist-to (default: its own .wrangler/state, the one `wrangler dev` uses). */
  persistTo?: string;
  /** The private key to sign with (default: the CLI's, .edgeflag/dev-keys/private.jwk). */
  key?: string;
  now?: number;
}

/** What seeding did: `published` is the new version, or null when the env was left as it was. */
export interface SeedResult {
  published: number | null;
  message: string;
}

interface Latest { version: number; actor?: string }
interface DryRun { version: number; latestExpiresAt: string | null; added: string[]; removed: string[]; changed: string[] }

async function edgeflag(args: string[], persistTo?: string): Promise<unknown> {
  const where = ["--local", ...(persistTo ? ["--persist-to", persistTo] : []), "--json"];
  const { stdout } = await promisify(execFile)(process.execPath, [cli, ...args, ...where], { cwd: root, env: { ...process.env, EDGEFLAG_ACTOR: DEMO_ACTOR, WRANGLER_SEND_METRICS: "false" } });
  return JSON.parse(stdout);
}

/**
 * Publishes the demo config when the env is empty or still serves npm start's own demo that
 * changed or expires within a week; otherwise leaves the env alone and says whose it is.
 *
 * @example
 * const { message } = await seedDemo({ env: "development", config: "examples/demo-config.json" });
 */
export async function seedDemo(options: SeedOptions): Promise<SeedResult> {
  const { env, config, persistTo } = options;
  const history = (await edgeflag(["history", "--env", env], persistTo)) as { latest: number | null; versions: Latest[] };
  const latest = history.versions.find((v) => v.version === history.latest);
  if (history.latest !== null && latest?.actor !== DEMO_ACTOR) {
    return { published: null, message: `${env} serves version ${history.latest}, published by ${latest?.actor ?? "someone else"}: left as it is (npm start only seeds an empty env)` };
  }
  const plan = (await edgeflag(["publish", config, "--env", env, "--dry-run"], persistTo)) as DryRun;
  const expiresSoon = plan.latestExpiresAt !== null && Date.parse(plan.latestExpiresAt) < (options.now ?? Date.now()) + WEEK_MS;
  const changed = plan.added.length + plan.removed.length + plan.changed.length > 0;
  if (history.latest !== null && !expiresSoon && !changed) return { published: null, message: `${env} version ${history.latest} already serves ${config}` };
  const key = options.key ? ["--key", options.key] : [];
  const published = (await edgeflag(["publish", config, "--env", env, ...key, "--reason", "npm start: demo config"], persistTo)) as { version: number };
  return { published: published.version, message: `published ${config} to local KV as ${env} version ${published.version}` };
}
