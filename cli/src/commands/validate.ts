import { validate, formatErrors } from "@edgeflag/config-schema";
import { parseArgs } from "../args.ts";
import { count, print, printError, printJson, readJson, requirePositionals } from "../io.ts";

export const usage = `edgeflag validate <file> [--json]

Checks a flag config against the v1 schema and the semantic rules. Exit 0 when it is valid;
exit 1 listing every error as "<JSON pointer>: <reason>".`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {});
  const [file] = requirePositionals(args.positionals, ["file"]);
  const result = validate(await readJson(file!));
  const json = args.flags.has("json");
  if (json) printJson({ valid: result.valid, errors: result.errors });
  if (result.valid) {
    const n = Object.keys(result.config.flags).length;
    if (!json) print(`${file}: valid (${count(n, "flag")})`);
    return 0;
  }
  if (!json) {
    printError(`${file}: ${count(result.errors.length, "error")}\n${formatErrors(result.errors)}`);
  }
  return 1;
}
