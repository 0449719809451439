import { compileConfig, evaluate, type AttributeValue } from "@edgeflag/sdk/core";
import { option, parseArgs, UsageError } from "../args.ts";
import { CliError, print, printJson, readValidConfig, requirePositionals } from "../io.ts";

export const usage = `edgeflag eval <file> --flag F --subject S [--attr key=value ...] [--now ISO] [--json]

Evaluates one flag of a config for one subject with the same core as the SDK and the Worker.
--attr values that read as JSON numbers, true, false or null take that type; others are strings.
--now sets the instant for time windows (default: now).`;

function parseAttribute(pair: string): [string, AttributeValue] {
  const eq = pair.indexOf("=");
  if (eq <= 0) throw new UsageError(`--attr "${pair}" must be key=value`);
  const raw = pair.slice(eq + 1);
  const typed = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)$/.test(raw) ? (JSON.parse(raw) as AttributeValue) : raw;
  return [pair.slice(0, eq), typed];
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ["flag", "subject", "attr", "now"] });
  const [file] = requirePositionals(args.positionals, ["file"]);
  const flag = option(args, "flag");
  const subject = option(args, "subject");
  if (flag === undefined) throw new UsageError("--flag is required");
  if (subject === undefined) throw new UsageError("--subject is required");
  const nowText = option(args, "now");
  const now = nowText === undefined ? Date.now() : Date.parse(nowText);
  if (Number.isNaN(now)) throw new UsageError(`--now "${nowText}" is not a date-time`);
  const config = await readValidConfig(file!);
  if (!Object.hasOwn(config.flags, flag)) {
    throw new CliError(`flag "${flag}" is not in ${file} (it has: ${Object.keys(config.flags).join(", ") || "no flags"})`);
  }
  const attributes = Object.fromEntries((args.options.get("attr") ?? []).map(parseAttribute));
  const result = evaluate(compileConfig(config), flag, { subject, attributes, now });
  if (args.flags.has("json")) printJson(result);
  else print(`${flag} → ${result.variant} ${JSON.stringify(result.value)}\nreason ${result.reason}, allocation ${result.allocation ?? "-"}, log ${result.log}`);
  return 0;
}
