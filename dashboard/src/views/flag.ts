/**
 * A flag: its variants and values (model configs readable), its allocations with targeting in
 * words, its ramps, and the kill switch (serve one variant to everyone).
 *
 * @module
 */
import { api, signedConfig } from "../api.ts";
import { action, demoBanner, envNav, envs, readOnlyNote, type Ctx } from "../app.ts";
import { confirmAction } from "../confirm.ts";
import { h, num, table } from "../dom.ts";
import { bps, describeValue } from "../format.ts";
import { splitShares, targeting } from "../describe.ts";
import type { RampView, SignedPayload } from "../types.ts";
import { rampSection } from "./ramp.ts";

function killButton(ctx: Ctx, flag: string, variant: string): HTMLElement {
  const env = ctx.params.env!;
  return action(ctx, `Serve only ${variant}`, () =>
    confirmAction({
      title: `Kill switch: serve ${variant} to everyone?`,
      effect: `${flag} is switched off with default ${variant}: every subject in ${env} gets ${variant} and no exposure is logged. It is published as a new signed version; roll back to undo it.`,
      confirm: `Serve only ${variant}`,
      run: async (reason) => `${flag} now serves ${variant} to everyone (version ${(await api<{ version: number }>(`/v1/admin/configs/${encodeURIComponent(env)}/kill`, { flag, variant, reason })).version})`,
      done: ctx.refresh,
    }),
  );
}

/**
 * The view.
 *
 * @example
 * main.replaceChildren(await flagView(ctx));
 */
export async function flagView(ctx: Ctx): Promise<HTMLElement> {
  const { env, flag: key } = ctx.params as { env: string; flag: string };
  const [config, all, ramps] = await Promise.all([signedConfig<SignedPayload>(env), envs(), api<{ ramps: RampView[] }>(`/v1/admin/ramps/${encodeURIComponent(env)}`).then((b) => b.ramps)]);
  const flag = Object.hasOwn(config.flags, key) ? config.flags[key]! : undefined;
  if (!flag) return h("div", null, h("h1", { tabindex: -1 }, key), h("p", { role: "alert" }, `Version ${config.version} of ${env} has no flag ${key}.`));
  const e = encodeURIComponent(env);
  return h(
    "div",
    null,
    demoBanner(all.find((x) => x.env === env)),
    h("h1", { tabindex: -1 }, `${key} `, h("small", null, `in ${env}, version ${config.version}`)),
    envNav(env, "flags"),
    h("p", null, flag.description ?? "", flag.owner ? ` Owner: ${flag.owner}.` : "", ` ${flag.enabled ? "Enabled" : "Disabled: everyone gets the default"}; default variant ${flag.defaultVariant}.`),
    flag.allocations.some((a) => a.log) ? h("p", null, h("a", { href: `#/env/${e}/flag/${encodeURIComponent(key)}/results`, class: "big" }, "Results of the experiment →")) : null,
    readOnlyNote(ctx),
    table(`Variants of ${key}`, ["variant", "value", "kill switch"], Object.entries(flag.variants).map(([name, v]) => [name, h("code", null, describeValue(v.value)), killButton(ctx, key, name)])),
    table(
      `Allocations of ${key}, in order (the first a subject passes decides)`,
      ["allocation", "who", "traffic", "split", "exposures"],
      flag.allocations.map((a) => [a.key, targeting(a), num(a.rollout ?? 10000, bps), splitShares(a.splits), a.log ? "logged (experiment)" : "not logged"]),
    ),
    ramps.filter((r) => r.flag === key).map((r) => rampSection(ctx, r)),
  );
}
