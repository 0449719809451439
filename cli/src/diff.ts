/**
 * What a new config changes against the current one, flag by flag, for `publish --dry-run`: the
 * diff itself is the shared one (`@edgeflag/config-schema/domain`, which the dashboard uses too);
 * this file only prints it.
 *
 * @module
 */
import type { ConfigDiff } from "@edgeflag/config-schema/domain";

export { diffConfigs, type ConfigDiff } from "@edgeflag/config-schema/domain";

/**
 * One line per flag added (+), removed (-) or changed (~).
 *
 * @example
 * formatDiff(diffConfigs(before, after)) // "+ new-flag\n~ chat-model"
 */
export function formatDiff(d: ConfigDiff): string {
  const lines = [...d.added.map((k) => `+ ${k}`), ...d.removed.map((k) => `- ${k}`), ...d.changed.map((k) => `~ ${k}`)];
  return lines.length ? lines.join("\n") : "(no flag changes)";
}
