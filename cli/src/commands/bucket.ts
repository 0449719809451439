import { bucket, hashSubject } from "@edgeflag/sdk/core";
import { SALT_PATTERN } from "@edgeflag/config-schema";
import { parseArgs, UsageError } from "../args.ts";
import { print, printJson, requirePositionals } from "../io.ts";

export const usage = `edgeflag bucket <salt> <subject> [--json]

Prints MurmurHash3_x86_32 of "<salt>.<subject>" (UTF-8, seed 0) and its bucket in [0, 10000).
--json prints {"hash": <uint32>, "bucket": <0..9999>}.`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {});
  const [salt, subject] = requirePositionals(args.positionals, ["salt", "subject"]);
  if (!SALT_PATTERN.test(salt!)) throw new UsageError(`salt "${salt}" must be 1 to 128 of A-Z a-z 0-9 _ : - (no ".")`);
  const hash = hashSubject(salt!, subject!);
  const b = bucket(salt!, subject!);
  if (args.flags.has("json")) printJson({ hash, bucket: b });
  else print(`hash   ${hash} (0x${hash.toString(16).padStart(8, "0")})\nbucket ${b}`);
  return 0;
}
