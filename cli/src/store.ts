/**
 * Where the CLI reads and writes signed configs: KV through `wrangler kv` (local state for
 * `wrangler dev`, or the real namespace), with the key layout shared with the Worker. It is a
 * `ConfigStore`, so `publish` from `@edgeflag/config-schema/domain` — the Worker's own publish —
 * runs over it. This path has no Durable Object in front: its read-check-write refuses a taken
 * version but two writers racing through wrangler are not serialized (use `--url` for that).
 *
 * @module
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { configKey, latestKey, versionOfKey, versionPrefix, type ConfigStore, type VersionRecord } from "@edgeflag/config-schema/domain";
import { CliError } from "./io.ts";

export interface StoreOptions {
  /** Local state (what `wrangler dev` uses) instead of the real namespace. */
  local: boolean;
  /** wrangler's --persist-to, for local state kept elsewhere than .wrangler/state. */
  persistTo?: string;
  /** Path of wrangler.toml; default: wrangler's own lookup from the working directory. */
  wranglerConfig?: string;
}

/** One version as listed: its record (KV metadata). */
export interface Listing {
  latest: number | null;
  versions: VersionRecord[];
}

const require = createRequire(import.meta.url);
const wranglerBin = join(dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");

/**
 * KV through `wrangler kv key`, as a ConfigStore.
 *
 * @example
 * await publish(new WranglerStore({ local: true }), { env: "development", change, sign });
 */
export class WranglerStore implements ConfigStore {
  readonly #options: StoreOptions;
  constructor(options: StoreOptions) {
    this.#options = options;
  }

  async #wrangler(args: string[], attempt = 1): Promise<string> {
    const o = this.#options;
    const where = [o.local ? "--local" : "--remote", ...(o.persistTo ? ["--persist-to", o.persistTo] : []), ...(o.wranglerConfig ? ["--config", o.wranglerConfig] : [])];
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [wranglerBin, "kv", "key", ...args, "--binding", "FLAGS", ...where], {
        env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
        maxBuffer: 64 << 20,
      });
      return stdout;
    } catch (e) {
      // Local state is a SQLite file another wrangler (a dev server) may hold for a moment: one
      // more try. Every call here is idempotent (a get, a list, or a put of the same value).
      if (o.local && attempt === 1) {
        await new Promise((r) => setTimeout(r, 500));
        return this.#wrangler(args, 2);
      }
      const err = e as { stderr?: string; message: string };
      const line = (err.stderr ?? err.message).split("\n").find((l) => /error|✘/i.test(l)) ?? err.message.split("\n")[0];
      throw new CliError(`wrangler kv ${args[0]} failed: ${line?.trim()}`);
    }
  }

  /** The latest version and every version's record, newest first. */
  async list(env: string): Promise<Listing> {
    const out = await this.#wrangler(["list", "--prefix", versionPrefix(env)]);
    const keys = JSON.parse(out.slice(out.indexOf("["))) as Array<{ name: string; metadata?: VersionRecord & { version: number } }>;
    const latest = keys.find((k) => k.name === latestKey(env))?.metadata?.version ?? null;
    const versions = keys
      .filter((k) => versionOfKey(env, k.name) !== null)
      .map((k) => ({ ...(k.metadata ?? {}), version: versionOfKey(env, k.name)! }) as VersionRecord)
      .sort((a, b) => b.version - a.version);
    return { latest, versions };
  }

  async #get(key: string): Promise<string | null> {
    const out = (await this.#wrangler(["get", key, "--text"])).trim();
    return out === "Value not found" || out === "" ? null : out;
  }

  /** The latest version, or null. */
  async readLatest(env: string): Promise<number | null> {
    const text = await this.#get(latestKey(env));
    if (text === null) return null;
    const version = Number(text);
    if (!Number.isSafeInteger(version) || version < 1) throw new CliError(`${latestKey(env)} holds "${text}", not a version number`);
    return version;
  }

  /** The JWS of one version, or null. */
  readJws(env: string, version: number): Promise<string | null> {
    return this.#get(configKey(env, version));
  }

  /** Writes the version, then moves `latest` to it (in that order, so readers never see a dangling pointer). */
  async writeVersion(env: string, jws: string, record: VersionRecord): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), "edgeflag-"));
    try {
      await writeFile(join(dir, "jws"), jws);
      await writeFile(join(dir, "latest"), String(record.version));
      await this.#wrangler(["put", configKey(env, record.version), "--path", join(dir, "jws"), "--metadata", JSON.stringify(record)]);
      await this.#wrangler(["put", latestKey(env), "--path", join(dir, "latest"), "--metadata", JSON.stringify({ version: record.version })]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
