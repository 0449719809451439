/**
 * The Worker's admin API, for `--url <worker> --token <t>` or `--local` (npm start's Worker).
 * The Worker records the token's name as the actor of every change: nothing here declares one.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import type { VersionRecord } from "@edgeflag/config-schema/domain";
import type { Analysis } from "@edgeflag/analysis";
import { UsageError } from "./args.ts";
import { CliError } from "./io.ts";

/** One ramp as GET /v1/admin/ramps/:env shows it. */
export interface RampInfo {
  flag: string;
  allocation: string;
  control: string;
  rollout: number;
  stages: { rollout: number; minDurationMinutes: number; minSubjects?: number }[];
  state: { status: string; stage: number; stageStartedAt: string; extended: boolean } | null;
  subjects: Record<string, number>;
  srm: { mismatch: boolean; pValue: number } | null;
  guardrails: { metric: string; threshold: number; relative?: boolean; action: string; status: string; estimate: number | null; margin: number | null; interval: { lower: number; upper: number } | null; pValueAdjusted: number | null; reason: string }[];
  timeline: { at: string; action: string; actor: string; stage: number; rollout: number; version: number | null; reason: string }[];
}
export interface RampsBody { env: string; version: number; ramps: RampInfo[] }

/** What GET /v1/results answers. */
export type ResultsBody = Analysis & { env: string; flag: string; allocation: string; control: string; configVersion: number | null; computedAt: string };

/** A named admin token as GET /v1/admin/tokens lists it. */
export interface TokenInfo {
  name: string;
  role: "admin" | "read";
  createdAt: string;
  createdBy: string;
  revokedAt?: string;
  revokedBy?: string;
}

/** A router key as GET /v1/admin/router-keys lists it. */
export interface RouterKeyInfo {
  name: string;
  env: string;
  createdAt: string;
  createdBy: string;
  revokedAt?: string;
  revokedBy?: string;
}

/** npm start's bootstrap token. */
const DEV_TOKEN = ".edgeflag/dev-admin-token";
/** Where npm start serves (it writes this file, so `PORT=8788 npm start` is followed). */
const DEV_URL = ".edgeflag/dev-url";

/** How `--local` finds npm start's Worker, for usage texts. */
export const LOCAL_USAGE = `--local asks npm start's Worker (the URL it wrote to ${DEV_URL}, e.g. http://127.0.0.1:8787;
token from ${DEV_TOKEN}). The token may also come from EDGEFLAG_ADMIN_TOKEN.`;

export class AdminClient {
  readonly #base: string;
  readonly #token: string;
  constructor(base: string, token: string) {
    this.#base = base.replace(/\/+$/, "");
    this.#token = token;
  }

  /**
   * The client for `--url U --token T`, or for `--local`: npm start's Worker and token.
   *
   * @example
   * const api = AdminClient.connect({ url: option(args, "url"), token: option(args, "token"), local: args.flags.has("local") }, "tokens come from the Worker");
   */
  static connect(where: { url?: string; token?: string; local: boolean }, needsWorker: string): AdminClient {
    const token = where.token ?? process.env.EDGEFLAG_ADMIN_TOKEN;
    if (where.url) {
      if (!token) throw new UsageError("--url needs --token (or EDGEFLAG_ADMIN_TOKEN)");
      return new AdminClient(where.url, token);
    }
    if (!where.local) throw new UsageError(`${needsWorker}: give --url and --token, or --local for npm start's Worker`);
    const devToken = token ?? (existsSync(DEV_TOKEN) ? readFileSync(DEV_TOKEN, "utf8").trim() : undefined);
    if (!devToken) throw new UsageError(`--local needs ${DEV_TOKEN} (made by npm start) or --token`);
    const devUrl = existsSync(DEV_URL) ? readFileSync(DEV_URL, "utf8").trim() : `http://127.0.0.1:${process.env.PORT ?? "8787"}`;
    return new AdminClient(devUrl, devToken);
  }

  async #call<T>(method: string, path: string, body?: unknown, absent?: T): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.#base}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.#token}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new CliError(`cannot reach ${this.#base}: ${(e as Error).message}`);
    }
    const data = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string; errors?: Array<{ pointer: string; message: string }> } };
    if (res.status === 404 && absent !== undefined && data.error?.code === "ENV_NOT_FOUND") return absent;
    if (!res.ok) {
      const detail = data.error?.errors?.map((e) => `\n${e.pointer}: ${e.message}`).join("") ?? "";
      throw new CliError(`${method} ${path} → ${res.status} ${data.error?.code ?? ""}: ${data.error?.message ?? res.statusText}${detail}`);
    }
    return data as T;
  }

  publish(env: string, body: { config?: unknown; jws?: string; reason?: string }) {
    return this.#call<{ env: string; version: number; kid?: string }>("POST", `/v1/admin/configs/${encodeURIComponent(env)}`, body);
  }
  /** An env with nothing published yet has an empty history. */
  history(env: string) {
    return this.#call<{ env: string; latest: number | null; versions: VersionRecord[] }>("GET", `/v1/admin/configs/${encodeURIComponent(env)}/history`, undefined, { env, latest: null, versions: [] });
  }
  /** One version's signed config (GET /v1/configs/:env/versions/:n, the clients' route), or null when it does not exist. */
  async configVersion(env: string, version: number): Promise<string | null> {
    const path = `/v1/configs/${encodeURIComponent(env)}/versions/${version}`;
    let res: Response;
    try {
      res = await fetch(`${this.#base}${path}`);
    } catch (e) {
      throw new CliError(`cannot reach ${this.#base}: ${(e as Error).message}`);
    }
    if (res.status === 404) return null;
    if (!res.ok) throw new CliError(`GET ${path} → ${res.status}: ${res.statusText}`);
    return (await res.text()).trim();
  }
  /** POST /v1/admin/offline/:env/:flag: stores an offline experiment's results (edgeflag experiment run --post). */
  postOffline(env: string, flag: string, results: unknown) {
    return this.#call<{ id: number; env: string; flag: string; createdAt: string }>("POST", `/v1/admin/offline/${encodeURIComponent(env)}/${encodeURIComponent(flag)}`, results);
  }
  /** GET /v1/results/:env/:flag, with `allocation` / `control` when given. */
  results(env: string, flag: string, query: Record<string, string | undefined> = {}) {
    const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined)).toString();
    return this.#call<ResultsBody>("GET", `/v1/results/${encodeURIComponent(env)}/${encodeURIComponent(flag)}${qs ? `?${qs}` : ""}`);
  }
  rollback(env: string, to: number, reason?: string) {
    return this.#call<{ env: string; version: number }>("POST", `/v1/admin/configs/${encodeURIComponent(env)}/rollback`, { to, reason });
  }
  /** GET /v1/admin/ramps/:env: every ramp, its state, guardrails and timeline. */
  ramps(env: string) {
    return this.#call<RampsBody>("GET", `/v1/admin/ramps/${encodeURIComponent(env)}`);
  }
  /** POST /v1/admin/ramps/:env/:flag/:allocation/:action. */
  rampAction(env: string, flag: string, allocation: string, action: string, reason?: string) {
    const path = `/v1/admin/ramps/${[env, flag, allocation, action].map(encodeURIComponent).join("/")}`;
    return this.#call<{ action: string; state: { status: string; stage: number }; rollout: number; version: number | null }>("POST", path, reason === undefined ? {} : { reason });
  }
  /** POST /v1/admin/tokens: the answer holds the token, shown once. */
  createToken(name: string, role: "admin" | "read") {
    return this.#call<TokenInfo & { token: string }>("POST", "/v1/admin/tokens", { name, role });
  }
  listTokens() {
    return this.#call<{ tokens: TokenInfo[] }>("GET", "/v1/admin/tokens");
  }
  revokeToken(name: string) {
    return this.#call<TokenInfo>("POST", `/v1/admin/tokens/${encodeURIComponent(name)}/revoke`, {});
  }
  /** POST /v1/admin/router-keys: the answer holds the key, shown once. */
  createRouterKey(name: string, env: string) {
    return this.#call<RouterKeyInfo & { key: string }>("POST", "/v1/admin/router-keys", { name, env });
  }
  listRouterKeys() {
    return this.#call<{ keys: RouterKeyInfo[] }>("GET", "/v1/admin/router-keys");
  }
  revokeRouterKey(name: string) {
    return this.#call<RouterKeyInfo>("POST", `/v1/admin/router-keys/${encodeURIComponent(name)}/revoke`, {});
  }
}
