import { option, parseArgs, UsageError } from "../args.ts";
import { AdminClient, LOCAL_USAGE, type RouterKeyInfo } from "../admin.ts";
import { field, print, printJson, requirePositionals } from "../io.ts";
import { table } from "../table.ts";

export const usage = `edgeflag router-keys create --name N --env E   (--url <worker> --token <admin token> | --local)
edgeflag router-keys list
edgeflag router-keys revoke --name N

Router keys: the API keys of the Worker's OpenAI-compatible routes (POST /v1/chat/completions,
GET /v1/models), one per app, each routing by the config of ONE env. Give it to the OpenAI client
as its apiKey, with baseURL <worker>/v1. create prints the key once (it is stored hashed; keep it
in a secret store). revoke stops the key within 10 s (each Worker isolate trusts a key it checked
for 10 s); a new key may then take the name.
An admin token is never a router key, nor a router key an admin token.
${LOCAL_USAGE}`;

function required(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`--${flag} is required`);
  return value;
}

function printKeys(keys: RouterKeyInfo[]): void {
  if (keys.length === 0) return print("no router keys (make one with `edgeflag router-keys create --name app --env <env>`)");
  const rows = keys.map((k) => [k.name, k.env, k.createdAt, k.createdBy, k.revokedAt ? `revoked ${k.revokedAt} by ${k.revokedBy ?? "?"}` : "live"]);
  table(["name", "env", "created", "by", "status"], rows);
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ["name", "env", "url", "token"], booleans: ["local"] });
  const [sub] = requirePositionals(args.positionals, ["create|list|revoke"]);
  const json = args.flags.has("json");
  if (sub !== "create" && sub !== "list" && sub !== "revoke") throw new UsageError(`unknown router-keys command "${sub}"`);
  const name = sub === "list" ? "" : required(option(args, "name"), "name");
  const env = sub === "create" ? required(option(args, "env"), "env") : "";
  const api = AdminClient.connect({ url: option(args, "url"), token: option(args, "token"), local: args.flags.has("local") }, "router keys live in the Worker");
  if (sub === "create") {
    const made = await api.createRouterKey(name, env);
    if (json) printJson(made);
    else {
      process.stderr.write(`made router key "${field(made.name)}" for env ${field(made.env)}; it is shown once, here:\n`);
      print(made.key);
    }
  } else if (sub === "list") {
    const { keys } = await api.listRouterKeys();
    if (json) printJson({ keys });
    else printKeys(keys);
  } else {
    const revoked = await api.revokeRouterKey(name);
    if (json) printJson(revoked);
    else print(`revoked router key "${field(revoked.name)}" at ${revoked.revokedAt}`);
  }
  return 0;
}
