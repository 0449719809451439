/**
 * The dashboard's calls to its own Worker. The admin token lives in sessionStorage only (gone
 * when the tab closes), travels in the Authorization header only, never in a URL; a 401 forgets
 * it and sends the reader back to sign-in. Without a token the Worker may still know the caller
 * through Cloudflare Access (its JWT comes with the request), which `whoami` finds out.
 *
 * @module
 */

const TOKEN_KEY = "edgeflag.dashboard.token";

/** Who is signed in: the name the audit log records, and the role. */
export interface Me {
  name: string;
  role: "admin" | "read";
}

/** A refusal from the API, with its stable code. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Called on a 401 (the token is wrong, revoked, or missing). */
let onUnauthorized: () => void = () => {};

/**
 * Sets what a 401 does (the app shows the sign-in form).
 *
 * @example
 * whenUnauthorized(() => showSignIn());
 */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

/** The token of this tab, or null. */
export const storedToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);

/**
 * Keeps (or, with null, forgets) the token for this tab.
 *
 * @example
 * keepToken(null); // sign out
 */
export function keepToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

async function request(path: string, init: RequestInit, token: string | null): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token !== null) headers.set("Authorization", `Bearer ${token}`);
  return fetch(path, { ...init, headers, credentials: "same-origin", cache: "no-store" });
}

async function refusal(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  return new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText);
}

/**
 * GETs JSON (or POSTs `body` as JSON) with this tab's token; throws ApiError on a refusal.
 *
 * @example
 * const { envs } = await api<{ envs: EnvSummary[] }>("/v1/admin/envs");
 */
export async function api<T>(path: string, body?: unknown): Promise<T> {
  const init: RequestInit = body === undefined ? {} : { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } };
  const res = await request(path, init, storedToken());
  if (res.status === 401) {
    keepToken(null);
    onUnauthorized();
  }
  if (!res.ok) throw await refusal(res);
  return (await res.json()) as T;
}

/**
 * Who `token` (or, with null, a Cloudflare Access identity) is; null when the Worker says 401.
 *
 * @example
 * const me = await whoami(form.token.value); // { name: "ana", role: "read" }
 */
export async function whoami(token: string | null): Promise<Me | null> {
  const res = await request("/v1/admin/me", {}, token);
  if (res.status === 401) return null;
  if (!res.ok) throw await refusal(res);
  return (await res.json()) as Me;
}

/**
 * The payload of a compact JWS (a signed config), decoded for display: the Worker checked its
 * signature when it was published.
 *
 * @example
 * const config = decodePayload(await (await fetch("/v1/configs/production")).text());
 */
export function decodePayload<T>(jws: string): T {
  const part = jws.split(".")[1] ?? "";
  const b64 = part.replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as T;
}

/**
 * A signed config version of an env (the latest when `version` is omitted), decoded.
 *
 * @example
 * const { flags, version } = await signedConfig("production");
 */
export async function signedConfig<T>(env: string, version?: number): Promise<T> {
  const path = `/v1/configs/${encodeURIComponent(env)}${version === undefined ? "" : `/versions/${version}`}`;
  const res = await fetch(path, { cache: "no-store" });
  if (!res.ok) throw await refusal(res);
  return decodePayload<T>(await res.text());
}
