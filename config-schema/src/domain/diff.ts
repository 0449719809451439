/**
 * What changed between two configs: flag by flag (`diffConfigs`, for `publish --dry-run`) and
 * field by field (`diffPaths`, JSON pointers with the values before and after, for the
 * dashboard's diff between any two versions). Pure; one source for the CLI and the dashboard.
 *
 * @module
 */
import type { FlagConfig } from "../types.gen.ts";

/** Flag keys by what happened to them. */
export interface ConfigDiff {
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: string[];
}

/** One field that differs: its JSON pointer, and its values (undefined where it is absent). */
export interface PathChange {
  path: string;
  kind: "added" | "removed" | "changed";
  before?: unknown;
  after?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const escape = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");

/** JSON with object keys sorted: equal values give equal text. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;
  return JSON.stringify(v);
}

/**
 * Which flags `after` adds, removes, changes or keeps against `before`.
 *
 * @example
 * diffConfigs(null, config).added // every flag key
 */
export function diffConfigs(before: FlagConfig | null, after: FlagConfig): ConfigDiff {
  const old = before?.flags ?? {};
  const diff: ConfigDiff = { added: [], removed: Object.keys(old).filter((k) => !(k in after.flags)), changed: [], unchanged: [] };
  for (const [key, flag] of Object.entries(after.flags)) {
    if (!(key in old)) diff.added.push(key);
    else if (canonical(old[key]) !== canonical(flag)) diff.changed.push(key);
    else diff.unchanged.push(key);
  }
  return diff;
}

function walk(a: unknown, b: unknown, path: string, out: PathChange[]): void {
  if (canonical(a) === canonical(b)) return;
  const bothObjects = isObject(a) && isObject(b);
  const bothArrays = Array.isArray(a) && Array.isArray(b);
  if (bothObjects) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const p = `${path}/${escape(key)}`;
      if (!(key in b)) out.push({ path: p, kind: "removed", before: a[key] });
      else if (!(key in a)) out.push({ path: p, kind: "added", after: b[key] });
      else walk(a[key], b[key], p, out);
    }
  } else if (bothArrays) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i >= b.length) out.push({ path: `${path}/${i}`, kind: "removed", before: a[i] });
      else if (i >= a.length) out.push({ path: `${path}/${i}`, kind: "added", after: b[i] });
      else walk(a[i], b[i], `${path}/${i}`, out);
    }
  } else {
    out.push({ path, kind: "changed", before: a, after: b });
  }
}

/**
 * Every field that differs between two JSON values, deepest first found, as JSON pointers.
 *
 * @example
 * diffPaths({ flags: { a: { enabled: true } } }, { flags: { a: { enabled: false } } })
 * // [{ path: "/flags/a/enabled", kind: "changed", before: true, after: false }]
 */
export function diffPaths(before: unknown, after: unknown): PathChange[] {
  const out: PathChange[] = [];
  walk(before, after, "", out);
  return out;
}
