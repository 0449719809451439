import { option, parseArgs, UsageError } from "../args.ts";
import { AdminClient, LOCAL_USAGE, type TokenInfo } from "../admin.ts";
import { field, print, printJson, requirePositionals } from "../io.ts";
import { table } from "../table.ts";

export const usage = `edgeflag tokens create --name N [--role admin|read]   (--url <worker> --token <admin token> | --local)
edgeflag tokens list
edgeflag tokens revoke --name N

Named admin tokens, one per person or system: the Worker records the token's name as the actor
of every change it makes (history, audit). create prints the token once (it is stored hashed;
keep it in a secret store); role read may read results, history and audit, and change nothing.
revoke stops the token at its next request; a new token may then take the name. The bootstrap
token (the ADMIN_TOKEN secret, recorded as "bootstrap") makes the first ones.
${LOCAL_USAGE}`;

const ROLES = ["admin", "read"] as const;

function name(value: string | undefined): string {
  if (!value) throw new UsageError("--name is required");
  return value;
}

function printTokens(tokens: TokenInfo[]): void {
  if (tokens.length === 0) return print("no named tokens (the bootstrap ADMIN_TOKEN works as \"bootstrap\")");
  const rows = tokens.map((t) => [t.name, t.role, t.createdAt, t.createdBy, t.revokedAt ? `revoked ${t.revokedAt} by ${t.revokedBy ?? "?"}` : "live"]);
  table(["name", "role", "created", "by", "status"], rows);
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ["name", "role", "url", "token"], booleans: ["local"] });
  const [sub] = requirePositionals(args.positionals, ["create|list|revoke"]);
  const json = args.flags.has("json");
  const role = option(args, "role") ?? "admin";
  if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be admin or read, not "${role}"`);
  if (sub !== "create" && sub !== "list" && sub !== "revoke") throw new UsageError(`unknown tokens command "${sub}"`);
  const api = AdminClient.connect({ url: option(args, "url"), token: option(args, "token"), local: args.flags.has("local") }, "tokens live in the Worker");
  if (sub === "create") {
    const made = await api.createToken(name(option(args, "name")), role as (typeof ROLES)[number]);
    if (json) printJson(made);
    else {
      process.stderr.write(`made token "${field(made.name)}" (role ${made.role}); it is shown once, here:\n`);
      print(made.token);
    }
  } else if (sub === "list") {
    const { tokens } = await api.listTokens();
    if (json) printJson({ tokens });
    else printTokens(tokens);
  } else {
    const revoked = await api.revokeToken(name(option(args, "name")));
    if (json) printJson(revoked);
    else print(`revoked token "${field(revoked.name)}" at ${revoked.revokedAt}`);
  }
  return 0;
}
