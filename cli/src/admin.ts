/**
 * The Worker's admin API, for `--url <worker> --token <t>`.
 *
 * @module
 */
import type { VersionRecord } from "@edgeflag/config-schema/domain";
import type { Analysis } from "@edgeflag/analysis";

/** What GET /v1/results answers. */
export type ResultsBody = Analysis & { env: string; flag: string; allocation: string; control: string; configVersion: number | null; computedAt: string };
import { CliError } from "./io.ts";

export class AdminClient {
  readonly #base: string;
  readonly #token: string;
  readonly #actor: string;
  constructor(base: string, token: string, actor: string) {
    this.#base = base.replace(/\/+$/, "");
    this.#token = token;
    this.#actor = actor;
  }

  async #call<T>(method: string, path: string, body?: unknown, absent?: T): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.#base}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.#token}`, "x-edgeflag-actor": this.#actor, ...(body ? { "content-type": "application/json" } : {}) },
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
  /** GET /v1/results/:env/:flag, with `allocation` / `control` when given. */
  results(env: string, flag: string, query: Record<string, string | undefined> = {}) {
    const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined)).toString();
    return this.#call<ResultsBody>("GET", `/v1/results/${encodeURIComponent(env)}/${encodeURIComponent(flag)}${qs ? `?${qs}` : ""}`);
  }
  rollback(env: string, to: number, reason?: string) {
    return this.#call<{ env: string; version: number }>("POST", `/v1/admin/configs/${encodeURIComponent(env)}/rollback`, { to, reason });
  }
}
