/**
 * Loading keys and signed configs from files, URLs or standard input, with one-line errors.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { algOfKey, type JWK, type JWKSet } from "@edgeflag/sdk/signing";
import { CliError, readJson } from "./io.ts";

/** The default place of the dev signing key that `npm start` makes (git-ignored). */
export const DEV_KEY_DIR = ".edgeflag/dev-keys";

async function fetchText(url: string): Promise<string> {
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return await res.text();
  } catch (e) {
    throw new CliError(`cannot fetch ${url}: ${(e as Error).message}`);
  }
}

function parseJson(source: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${source} did not answer JSON: ${(e as Error).message}`);
  }
}

/** Reads a text argument that is a file path, "-" (standard input) or an http(s) URL. */
export async function readText(source: string): Promise<string> {
  if (/^https?:\/\//.test(source)) return fetchText(source);
  try {
    return readFileSync(source === "-" ? 0 : source, "utf8");
  } catch (e) {
    throw new CliError(`cannot read ${source}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
}

/** Reads trusted public keys: one JWK or a JWK Set, from a file or URL. */
export async function readPublicKeys(source: string): Promise<JWKSet> {
  const doc = (/^https?:\/\//.test(source) ? parseJson(source, await fetchText(source)) : await readJson(source)) as { keys?: unknown } | null;
  const keys = (Array.isArray(doc?.keys) ? doc.keys : [doc]) as JWK[];
  if (keys.length === 0 || keys.some((k) => typeof k !== "object" || k === null || !algOfKey(k))) {
    throw new CliError(`${source} holds no P-256 or Ed25519 public JWK`);
  }
  return { keys };
}

/** Reads a private signing JWK; `source` defaults to the dev key made by `npm start`. */
export async function readPrivateKey(source: string | undefined): Promise<JWK> {
  const path = source ?? `${DEV_KEY_DIR}/private.jwk`;
  const jwk = (await readJson(path).catch((e) => {
    if (source === undefined) throw new CliError(`--key is required (no dev key at ${path}; make one with: edgeflag keys generate --out ${DEV_KEY_DIR})`);
    throw e;
  })) as JWK;
  if (!algOfKey(jwk) || typeof jwk.d !== "string") throw new CliError(`${path} is not a private P-256 or Ed25519 JWK`);
  return jwk;
}
