/**
 * What a new config changes against the current one, flag by flag, for `publish --dry-run`.
 *
 * @module
 */
import type { FlagConfig } from "@edgeflag/config-schema";

export interface ConfigDiff {
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: string[];
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
  return JSON.stringify(v);
}

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

export function formatDiff(d: ConfigDiff): string {
  const lines = [...d.added.map((k) => `+ ${k}`), ...d.removed.map((k) => `- ${k}`), ...d.changed.map((k) => `~ ${k}`)];
  return lines.length ? lines.join("\n") : "(no flag changes)";
}
