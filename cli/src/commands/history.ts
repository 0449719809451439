import { parseArgs } from "../args.ts";
import { print, printJson } from "../io.ts";
import { table } from "../table.ts";
import { TARGET_BOOLEANS, TARGET_USAGE, TARGET_VALUES, target } from "../target.ts";

export const usage = `edgeflag history --env E [--local] [--json]

Lists every version of an env, newest first: when, who, what (publish, rollback, kill) and why.
Stored text is shown with control characters escaped (\\n, \\u001b…), one row per version.
${TARGET_USAGE}`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: TARGET_VALUES, booleans: TARGET_BOOLEANS });
  const t = target(args);
  const { latest, versions } = t.admin ? await t.admin.history(t.env) : await t.store!.list(t.env);
  if (args.flags.has("json")) {
    printJson({ env: t.env, latest, versions });
    return 0;
  }
  if (versions.length === 0) {
    print(`${t.env}: no versions published in ${t.where}`);
    return 0;
  }
  const rows = versions.map((v) => [
    `${v.version === latest ? "*" : " "}${v.version}`, v.at ?? "", v.actor ?? "",
    v.action === "rollback" ? `rollback to ${v.from}` : v.action === "kill" ? `kill ${v.flag}=${v.variant}` : (v.action ?? ""), v.reason ?? "",
  ]);
  table(["version", "at", "actor", "action", "reason"], rows);
  return 0;
}
