// Shared by the Worker tests: the TEST-ONLY keys (vitest.config.ts gives the same ones to the
// Worker as SIGNING_KEY / PUBLIC_JWKS), a demo config, and small request helpers. Each test uses
// its own env name, because pool-workers keeps KV between the tests of a file.
import { exports } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import type { FlagConfig } from "@edgeflag/config-schema";
import { signConfig, type JWK } from "@edgeflag/sdk/signing";
import worker from "../src/index.ts";
import keys from "./fixtures/test-keys.json";

export const ORIGIN = "http://edgeflag.test";
export const ADMIN_TOKEN = "test-admin-token";
export const SIGNING_KEY = keys.signingKey as JWK;
export const CLI_KEY = keys.cliKey as JWK;
export const UNTRUSTED_KEY = keys.untrustedKey as JWK;
export const PUBLIC_JWKS = keys.publicJwks as { keys: JWK[] };
export const SIGNING_KID = SIGNING_KEY.kid!;
export const CLI_KID = CLI_KEY.kid!;

/** An LLM model experiment with three variants and a boolean 25% rollout. */
export const CONFIG: FlagConfig = {
  flags: {
    "chat-model": {
      enabled: true,
      variants: { "gpt-3_5": { value: "gpt-3.5-turbo" }, "gpt-4": { value: "gpt-4" }, fixed: { value: "A human will reply soon." } },
      defaultVariant: "gpt-3_5",
      allocations: [{ key: "experiment", splits: [{ variant: "gpt-3_5", weight: 1 }, { variant: "gpt-4", weight: 1 }, { variant: "fixed", weight: 1 }], log: true }],
    },
    "new-checkout": {
      enabled: true,
      variants: { on: { value: true }, off: { value: false } },
      defaultVariant: "off",
      allocations: [{ key: "ramp", rollout: 2500, splits: [{ variant: "on", weight: 1 }] }],
    },
  },
};

/** The same config with one value changed, to tell versions apart. */
export const withModel = (model: string): FlagConfig => ({
  flags: { ...CONFIG.flags, "chat-model": { ...CONFIG.flags["chat-model"]!, variants: { ...CONFIG.flags["chat-model"]!.variants, "gpt-4": { value: model } } } },
});

/** A request through the Worker as deployed (its default export, inside workerd). */
export const call = (path: string, init?: RequestInit) => exports.default.fetch(new Request(ORIGIN + path, init));

/** A request straight to the handler, with a modified env (e.g. a secret removed). */
export async function callWith(env: Env, path: string, init?: RequestInit<IncomingRequestCfProperties>): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request<unknown, IncomingRequestCfProperties>(ORIGIN + path, init), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** An admin request with the right token; `body` is sent as JSON unless it is a string. */
export function admin(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const init: RequestInit = { method: body === undefined ? "GET" : "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...headers } };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  return call(`/v1/admin${path}`, init);
}

/** The Authorization header of a token. */
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Makes a named admin token through the API, as the bootstrap, and answers the token. */
export async function makeToken(name: string, role: "admin" | "read" = "admin"): Promise<string> {
  const res = await admin("/tokens", { name, role });
  if (res.status !== 201) throw new Error(`token ${name} not made: ${res.status} ${await res.text()}`);
  return (await res.json<{ token: string }>()).token;
}

/** Makes a router key for `env` through the admin API, as the bootstrap, and answers the key. */
export async function makeRouterKey(name: string, env: string): Promise<string> {
  const res = await admin("/router-keys", { name, env });
  if (res.status !== 201) throw new Error(`router key ${name} not made: ${res.status} ${await res.text()}`);
  return (await res.json<{ key: string }>()).key;
}

/** Publishes an unsigned config (the Worker signs it) and returns the new version. */
export async function publish(env: string, config: FlagConfig = CONFIG, extra: Record<string, unknown> = {}): Promise<number> {
  const res = await admin(`/configs/${env}`, { config, ...extra });
  if (res.status !== 201) throw new Error(`publish failed: ${res.status} ${await res.text()}`);
  return (await res.json<{ version: number }>()).version;
}

/** Signs in the test, as the CLI would. */
export const sign = (env: string, version: number, key: JWK = CLI_KEY, config: FlagConfig = CONFIG) => signConfig(config, { key, env, version });

/** A body read as bytes: workerd warns on `.text()` of `application/jose`. */
export const text = async (res: Response) => new TextDecoder().decode(await res.arrayBuffer());

/** The error body every non-2xx answer has. */
export const errorOf = async (res: Response) => (await res.json<{ error: { code: string; message: string; pointer?: string; errors?: unknown[]; latest?: number } }>()).error;
