/**
 * The `edgeflag` command. Each subcommand lives in commands/<name>.ts with its usage text.
 * Exit codes: 0 success, 1 a user error (with a message naming what is wrong), 2 a bug.
 *
 * @module
 */
import { UsageError } from "./args.ts";
import { ConfigChangeError } from "@edgeflag/config-schema/domain";
import { CliError, printError } from "./io.ts";
import * as bucket from "./commands/bucket.ts";
import * as evalCommand from "./commands/eval.ts";
import * as validate from "./commands/validate.ts";
import * as keys from "./commands/keys.ts";
import * as sign from "./commands/sign.ts";
import * as verify from "./commands/verify.ts";
import * as publish from "./commands/publish.ts";
import * as history from "./commands/history.ts";
import * as rollback from "./commands/rollback.ts";
import * as results from "./commands/results.ts";
import * as routerKeys from "./commands/router-keys.ts";
import * as tokens from "./commands/tokens.ts";
import * as status from "./commands/status.ts";
import * as ramp from "./commands/ramp.ts";
import * as experiment from "./commands/experiment.ts";

interface Command { usage: string; run(argv: string[]): Promise<number> }
const COMMANDS: Record<string, Command> = { validate, eval: evalCommand, bucket, keys, sign, verify, publish, history, rollback, results, tokens, "router-keys": routerKeys, status, ramp, experiment };

const USAGE = `edgeflag — feature flags with a signed config CDN

Usage: edgeflag <command> [options]   (every command takes --help and --json)

  validate <file>                      check a config against the schema and semantic rules
  eval <file> --flag F --subject S     evaluate a flag for a subject (--attr key=value ...)
  bucket <salt> <subject>              print the hash and bucket of a subject
  keys generate [--alg ES256|EdDSA]    make a signing key pair
  keys root | keys sign-set            the offline root key; the key set it signs
  sign <file> --env E --version N      print the signed config (compact JWS)
  verify <jws|-> --keys K --env E      verify a signed config as the SDKs do
  publish <file> --env E [--local]     sign the next version and publish it to KV
  history --env E [--local]            list versions: who, when, what, why
  rollback --env E --to N [--local]    republish version N as a new, higher version
  results --env E --flag F --local     an experiment's results table (or --url U --token T)
  tokens create --name N [--role R]    a named admin token (role admin or read), shown once
  tokens list                          named tokens: role, who made them, live or revoked
  tokens revoke --name N               stop a token at its next request (tokens: --local or --url U --token T)
  router-keys create --name N --env E  a router key (the OpenAI client's apiKey) for one env, shown once
  router-keys list | revoke --name N   router keys: env, who made them, live or revoked
  status --env E                       every ramp: stage, subjects, guardrails against thresholds, last decision
  ramp pause|resume|advance|abort      act on a ramp (--env E --flag F --allocation A; --local or --url U --token T)
  experiment run <file> --flag F       run a dataset through the flag's variants, score, compare, gate CI`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(USAGE + "\n");
    return name === undefined ? 1 : 0;
  }
  // Own properties only: `edgeflag constructor` is an unknown command, not Object's constructor.
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    printError(`edgeflag: unknown command "${name}"\n\n${USAGE}`);
    return 1;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(command.usage + "\n");
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      printError(`edgeflag ${name}: ${e.message}\n\n${command.usage}`);
      return 1;
    }
    if (e instanceof CliError || e instanceof ConfigChangeError) {
      printError(`edgeflag ${name}: ${e instanceof ConfigChangeError ? `${e.code}: ` : ""}${e.message}`);
      return 1;
    }
    // A bug of ours: one line, no stack trace unless EDGEFLAG_DEBUG asks for it.
    const detail = process.env.EDGEFLAG_DEBUG ? ((e as Error)?.stack ?? String(e)) : ((e as Error)?.message ?? String(e));
    printError(`edgeflag ${name}: internal error (please report it): ${detail}`);
    return 2;
  }
}
