/**
 * Publishing a new version: every change (publish, rollback, kill switch) ends here. The version
 * is checked to be new (its key must not exist yet: KV has no transactions, so this is how a
 * concurrent publish is noticed), then stored, then the latest pointer moves.
 *
 * @module
 */
import { DEFAULT_MAX_BYTES, decodeSignedConfig, signConfig, type VerifiedConfig } from "@edgeflag/sdk/signing";
import type { FlagConfig } from "@edgeflag/config-schema";
import type { VersionRecord } from "../storage/config-keys.ts";
import { readJws, writeVersion } from "../storage/configs.ts";
import { HttpError } from "./http.ts";
import { signingKey } from "./keys.ts";
import { makeRecord } from "./version-record.ts";

/** What the admin API answers after a publish (201). */
export interface Published {
  env: string;
  version: number;
  kid: string;
}

/** The fields of a change's record that the caller decides. */
export type Change = Omit<VersionRecord, "version" | "at" | "kid">;

async function store(env: Env, name: string, jws: string, version: number, kid: string, change: Change): Promise<Published> {
  if ((await readJws(env.FLAGS, name, version)) !== null) {
    throw new HttpError(409, "VERSION_CONFLICT", `version ${version} of env "${name}" already exists (a concurrent publish?); try again`);
  }
  await writeVersion(env.FLAGS, name, jws, makeRecord({ ...change, version, kid }));
  return { env: name, version, kid };
}

/**
 * Signs `content` with SIGNING_KEY as the next free version after `latest` and stores it. 501 NO_SIGNING_KEY
 * when the Worker has no key; 400 SCHEMA_INVALID (thrown by signConfig) for an invalid config.
 *
 * @example
 * await signAndPublish(env, "production", latest, config, { actor: "ana", action: "publish" });
 */
export async function signAndPublish(env: Env, name: string, latest: number, content: FlagConfig, change: Change): Promise<Published> {
  const key = await signingKey(env);
  if (key === undefined) throw noSigningKey();
  // A version written without its pointer moved (a publish cut off halfway) is skipped, not a dead end.
  let version = latest + 1;
  while ((await readJws(env.FLAGS, name, version)) !== null && version < latest + 100) version++;
  const jws = await signConfig(content, { key, env: name, version });
  if (jws.length > DEFAULT_MAX_BYTES) {
    throw new HttpError(413, "TOO_LARGE", `the signed config is ${jws.length} bytes; clients refuse more than ${DEFAULT_MAX_BYTES}`);
  }
  return store(env, name, jws, version, key.kid!, change);
}

/**
 * Stores a pre-signed config that `verifyConfig` accepted; 409 VERSION_CONFLICT unless its
 * version is above `latest`.
 *
 * @example
 * await publishVerified(env, "production", latest, await verifyConfig(jws, { keys, env: "production" }), { actor, action: "publish" });
 */
export async function publishVerified(env: Env, name: string, latest: number, verified: VerifiedConfig, change: Change): Promise<Published> {
  if (verified.version <= latest) {
    throw new HttpError(409, "VERSION_CONFLICT", `version ${verified.version} is not newer than the latest version ${latest} of env "${name}"`);
  }
  return store(env, name, verified.jws, verified.version, verified.kid, change);
}

/**
 * The config content of a stored JWS, without the claims signing adds (env, version, iat, exp).
 * Stored versions were verified or signed by this Worker, so they are decoded, not re-verified
 * (an old version may be expired and must still be restorable).
 *
 * @example
 * const { flags } = contentOf(storedJws);
 */
export function contentOf(jws: string): FlagConfig {
  const { env: _env, version: _version, iat: _iat, exp: _exp, ...content } = decodeSignedConfig(jws).payload;
  return content;
}

/** 501 for a change the Worker would have to sign without a key. */
export function noSigningKey(): HttpError {
  return new HttpError(501, "NO_SIGNING_KEY", "this Worker has no SIGNING_KEY, so it cannot sign: sign the config yourself (edgeflag sign) and send the JWS, as {\"jws\": \"...\"} or with Content-Type: application/jose");
}
