/**
 * An env's audit log: every change, by whom, when, why, and which flag it touched.
 *
 * @module
 */
import { api } from "../api.ts";
import { demoBanner, envNav, envs, type Ctx } from "../app.ts";
import { h, table } from "../dom.ts";
import { when } from "../format.ts";
import type { VersionRecord } from "../types.ts";

/**
 * The view.
 *
 * @example
 * main.replaceChildren(await auditView(ctx));
 */
export async function auditView(ctx: Ctx): Promise<HTMLElement> {
  const env = ctx.params.env!;
  const [audit, all] = await Promise.all([api<{ entries: VersionRecord[] }>(`/v1/admin/audit?env=${encodeURIComponent(env)}`), envs()]);
  return h(
    "div",
    null,
    demoBanner(all.find((x) => x.env === env)),
    h("h1", { tabindex: -1 }, `Audit log of ${env}`),
    envNav(env, "audit"),
    table(
      `Changes to ${env}, newest first`,
      ["when", "who", "action", "version", "flag", "variant", "from version", "why", "signed by"],
      audit.entries.map((r) => [when(r.at), r.actor, r.action, String(r.version), r.flag ? `${r.flag}${r.allocation ? `/${r.allocation}` : ""}` : "", r.variant ?? "", r.from === undefined ? "" : String(r.from), r.reason ?? "", h("code", null, r.kid ?? "")]),
      { "data-table": "audit" },
    ),
  );
}
