/**
 * An env's versions: who made each, when and why, a readable diff between any two (the shared
 * `diffPaths`), and a rollback to any earlier version.
 *
 * @module
 */
import { diffPaths } from "../../../config-schema/src/domain/diff.ts";
import { api, signedConfig } from "../api.ts";
import { action, demoBanner, envNav, envs, readOnlyNote, type Ctx } from "../app.ts";
import { confirmAction } from "../confirm.ts";
import { h, table } from "../dom.ts";
import { when } from "../format.ts";
import type { SignedPayload, VersionRecord } from "../types.ts";

/** A config without what signing adds, so two versions differ only in what people changed. */
const content = ({ env: _e, version: _v, iat: _i, exp: _x, ...rest }: SignedPayload) => rest;
const show = (v: unknown) => (v === undefined ? "" : JSON.stringify(v));

/**
 * What a record says happened.
 *
 * @example
 * describeRecord({ version: 3, at: "", actor: "ana", action: "kill", flag: "chat-model", variant: "fixed" }) === "kill chat-model → fixed"
 */
export function describeRecord(r: VersionRecord): string {
  const what = [r.action, r.from !== undefined ? `of version ${r.from}` : "", r.flag ? `${r.flag}${r.allocation ? `/${r.allocation}` : ""}` : "", r.variant ? `→ ${r.variant}` : ""];
  return what.filter(Boolean).join(" ");
}

async function diffView(env: string, a: number, b: number): Promise<HTMLElement> {
  const [before, after] = await Promise.all([signedConfig<SignedPayload>(env, a), signedConfig<SignedPayload>(env, b)]);
  const changes = diffPaths(content(before), content(after));
  if (changes.length === 0) return h("p", { "data-diff": "0" }, `Versions ${a} and ${b} serve the same flags.`);
  return h(
    "div",
    { "data-diff": changes.length },
    table(`From version ${a} to version ${b}: ${changes.length} change${changes.length === 1 ? "" : "s"}`, ["field", "change", `version ${a}`, `version ${b}`], changes.map((c) => [h("code", null, c.path), c.kind, h("code", { class: "del" }, show(c.before)), h("code", { class: "ins" }, show(c.after))])),
  );
}

function rollbackButton(ctx: Ctx, to: number, latest: number): HTMLElement {
  const env = ctx.params.env!;
  return action(ctx, `Roll back to ${to}`, () =>
    confirmAction({
      title: `Roll ${env} back to version ${to}?`,
      effect: `Version ${to}'s flags are published again as a new signed version after ${latest}; clients move to it at their next refresh (connected ones within seconds).`,
      confirm: `Roll back to ${to}`,
      run: async (reason) => `Rolled back: ${env} version ${(await api<{ version: number }>(`/v1/admin/configs/${encodeURIComponent(env)}/rollback`, { to, reason })).version} serves version ${to}'s flags`,
      done: ctx.refresh,
    }),
  );
}

function picker(id: string, label: string, versions: number[], value: number): [HTMLElement, HTMLSelectElement] {
  const select = h("select", { id }, versions.map((v) => h("option", { value: v, selected: v === value }, `version ${v}`)));
  return [h("label", { for: id }, label), select];
}

/**
 * The view.
 *
 * @example
 * main.replaceChildren(await versionsView(ctx));
 */
export async function versionsView(ctx: Ctx): Promise<HTMLElement> {
  const env = ctx.params.env!;
  const [history, all] = await Promise.all([api<{ latest: number; versions: VersionRecord[] }>(`/v1/admin/configs/${encodeURIComponent(env)}/history`), envs()]);
  const numbers = history.versions.map((v) => v.version);
  const [fromLabel, from] = picker("diff-from", "From ", numbers, numbers[1] ?? numbers[0]!);
  const [toLabel, to] = picker("diff-to", " to ", numbers, numbers[0]!);
  const out = h("div", { "aria-live": "polite" });
  const update = () => void diffView(env, Number(from.value), Number(to.value)).then((d) => out.replaceChildren(d));
  from.addEventListener("change", update);
  to.addEventListener("change", update);
  out.replaceChildren(await diffView(env, Number(from.value), Number(to.value)));
  return h(
    "div",
    null,
    demoBanner(all.find((x) => x.env === env)),
    h("h1", { tabindex: -1 }, `Versions of ${env}`),
    envNav(env, "versions"),
    readOnlyNote(ctx),
    table(
      `Every version of ${env}, newest first (latest: ${history.latest})`,
      ["version", "when", "who", "what", "why", ""],
      history.versions.map((r) => [String(r.version), when(r.at), r.actor, describeRecord(r), r.reason ?? "", r.version === history.latest ? h("span", { class: "badge" }, "live") : rollbackButton(ctx, r.version, history.latest)]),
      { "data-table": "versions" },
    ),
    h("section", null, h("h2", null, "Compare two versions"), h("div", { class: "pickers" }, fromLabel, from, toLabel, to), out),
  );
}
