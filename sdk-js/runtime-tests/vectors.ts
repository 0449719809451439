/**
 * Loads the shared vectors (config-schema/vectors/) through a reader the runtime provides:
 * the file system in Node and Deno, fetch in Chromium, bundled raw text in workerd. The files are
 * parsed here, in the runtime under test, so every runtime sees the same strings (lone
 * surrogates included).
 *
 * @module
 */
import manifest from "../../config-schema/vectors/manifest.json" with { type: "json" };

export interface HashCase { name: string; salt: string; subject: string; hash: number; bucket: number }
export interface EvalCase {
  name: string;
  config: string;
  flag: string;
  context: Record<string, unknown>;
  default?: unknown;
  expected: Record<string, unknown>;
}
export interface SignatureCase {
  name: string;
  jws: string;
  options: { env: string; minVersion?: number; maxBytes?: number };
  expected: { version: number; kid: string } | { code: string };
}
export interface Vectors {
  hash: { specVersion: number; reference: Array<{ text: string; hash: number }>; cases: HashCase[] };
  evaluation: { specVersion: number; configs: Record<string, unknown>; cases: EvalCase[] };
  signatures: { specVersion: number; now: number; trusted: { keys: Array<Record<string, unknown>> }; cases: SignatureCase[] };
  valid: Record<string, unknown>;
  invalid: Record<string, { errors: Array<{ pointer: string }>; config: unknown }>;
}

/** Reads a file of config-schema/vectors/ by its path relative to that folder. */
export type ReadVector = (path: string) => Promise<string>;

/** Every file the suite replays, relative to config-schema/vectors/ (kept in manifest.json). */
export const VECTOR_FILES: readonly string[] = manifest.files;

export async function loadVectors(read: ReadVector): Promise<Vectors> {
  const parsed = await Promise.all(VECTOR_FILES.map(async (f) => [f, JSON.parse(await read(f))] as const));
  const files = new Map(parsed);
  const folder = (dir: string) =>
    Object.fromEntries(parsed.filter(([f]) => f.startsWith(dir + "/")).map(([f, doc]) => [f.slice(dir.length + 1, -5), doc]));
  return {
    hash: files.get("hash.json"),
    evaluation: files.get("evaluation.json"),
    signatures: files.get("signatures.json"),
    valid: folder("valid"),
    invalid: folder("invalid"),
  };
}
