/**
 * `edgeflag ramp pause|resume|advance|abort --env E --flag F --allocation A [--reason R]`: a
 * person's step on a ramp, through the admin API (role admin), applied by the env's single
 * writer and recorded under the token's name.
 *
 * @module
 */
import { option, parseArgs, UsageError } from "../args.ts";
import { AdminClient, LOCAL_USAGE } from "../admin.ts";
import { field, print, printJson, requirePositionals } from "../io.ts";

export const usage = `edgeflag ramp pause|resume|advance|abort --env E --flag F --allocation A [--reason R] [--json]
   (--url <worker> --token <admin token> | --local)

pause     stop the ramp where it is (the watcher then leaves it alone)
resume    run it again from where it stands, the stage's clock reset (after a rollback: from stage 1)
advance   move to the next stage now (the last stage completes the ramp)
abort     roll it back: the allocation's rollout to 0, the control everywhere
Each is a new signed version when the rollout changes, and is audited.
${LOCAL_USAGE}`;

const ACTIONS = ["pause", "resume", "advance", "abort"];

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ["env", "flag", "allocation", "reason", "url", "token"], booleans: ["local"] });
  const [action] = requirePositionals(args.positionals, ["pause|resume|advance|abort"]);
  if (!ACTIONS.includes(action!)) throw new UsageError(`unknown ramp command "${action}"`);
  const need = (name: string): string => {
    const v = option(args, name);
    if (!v) throw new UsageError(`--${name} is required`);
    return v;
  };
  const [env, flag, allocation] = [need("env"), need("flag"), need("allocation")];
  const api = AdminClient.connect({ url: option(args, "url"), token: option(args, "token"), local: args.flags.has("local") }, "ramps live in the Worker");
  const done = await api.rampAction(env, flag, allocation, action!, option(args, "reason"));
  if (args.flags.has("json")) {
    printJson(done);
    return 0;
  }
  print(`${action} ${field(flag)}/${field(allocation)} in ${field(env)}: now ${done.state.status}, stage ${done.state.stage + 1}, rollout ${done.rollout / 100}%${done.version === null ? "" : ` (version ${done.version})`}`);
  return 0;
}
