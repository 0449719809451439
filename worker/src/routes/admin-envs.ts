/**
 * What the dashboard opens on. `GET /v1/admin/envs` (role read): every env with a published
 * config, its latest version and who made it, whether it serves npm start's demo, and a summary
 * of each flag (state, allocations with their rollout, which log exposures, run an experiment or
 * a ramp). `GET /v1/admin/me` (role read): who the caller is, so a client can show its name and
 * which actions its role allows.
 *
 * @module
 */
import type { Flag } from "@edgeflag/config-schema";
import { DEMO_ACTOR } from "@edgeflag/config-schema/domain";
import type { Caller } from "../lib/auth.ts";
import { json } from "../lib/http.ts";
import type { Params } from "../lib/router.ts";
import { envNames } from "../scheduled/renew.ts";
import { latestConfig } from "../services/experiments.ts";
import { listRecords } from "../storage/configs.ts";

/** One flag at a glance. */
export interface FlagSummary {
  key: string;
  description: string | null;
  enabled: boolean;
  defaultVariant: string;
  variants: string[];
  experiment: boolean;
  allocations: { key: string; rollout: number; log: boolean; ramp: boolean; rules: number }[];
}

/**
 * The summary of one flag of a config.
 *
 * @example
 * summarizeFlag("chat-model", config.flags["chat-model"]).allocations[0] // { key: "model-experiment", rollout: 10000, log: true, ramp: false, rules: 0 }
 */
export function summarizeFlag(key: string, flag: Flag): FlagSummary {
  return {
    key,
    description: flag.description ?? null,
    enabled: flag.enabled,
    defaultVariant: flag.defaultVariant,
    variants: Object.keys(flag.variants),
    experiment: flag.experiment !== undefined,
    allocations: flag.allocations.map((a) => ({ key: a.key, rollout: a.rollout ?? 10000, log: a.log === true, ramp: a.ramp !== undefined, rules: a.rules?.length ?? 0 })),
  };
}

/**
 * 200 `{envs: [{env, version, at, actor, action, reason, demo, flags}]}`, envs by name.
 *
 * @example
 * curl https://flags.example.com/v1/admin/envs -H "Authorization: Bearer $TOKEN"
 */
export async function getEnvs(_request: Request, env: Env): Promise<Response> {
  const names = (await envNames(env.FLAGS)).sort();
  const envs = await Promise.all(
    names.map(async (name) => {
      const [latest, records] = await Promise.all([latestConfig(env.FLAGS, name), listRecords(env.FLAGS, name)]);
      const record = records.find((r) => r.version === latest?.version);
      return {
        env: name,
        version: latest?.version ?? null,
        at: record?.at ?? null,
        actor: record?.actor ?? null,
        action: record?.action ?? null,
        reason: record?.reason ?? null,
        demo: records.some((r) => r.actor === DEMO_ACTOR),
        flags: Object.entries(latest?.config.flags ?? {}).map(([key, flag]) => summarizeFlag(key, flag)),
      };
    }),
  );
  return json({ envs }, 200, { "Cache-Control": "no-store" });
}

/**
 * 200 `{name, role}`: the caller as the audit log records it.
 *
 * @example
 * curl https://flags.example.com/v1/admin/me -H "Authorization: Bearer $TOKEN" // {"name":"ana","role":"read"}
 */
export function getMe(_request: Request, _env: Env, _ctx: ExecutionContext, _params: Params, caller: Caller | null): Response {
  return json({ name: caller?.name ?? null, role: caller?.role ?? null }, 200, { "Cache-Control": "no-store" });
}
