/**
 * The dashboard: served by the Worker at `/`, it reads the Worker's own API. Routes live in the
 * URL's hash (`#/env/production/flag/chat-model/results`), so any view can be linked and the
 * Worker serves one page. Sign-in first (a token, or a Cloudflare Access identity).
 *
 * @module
 */
import { keepToken, storedToken, whenUnauthorized, whoami, type Me } from "./api.ts";
import { announce, problem, type Ctx } from "./app.ts";
import { h } from "./dom.ts";
import { auditView } from "./views/audit.ts";
import { envsView } from "./views/envs.ts";
import { flagView } from "./views/flag.ts";
import { resultsView } from "./views/results.ts";
import { signInView } from "./views/sign-in.ts";
import { versionsView } from "./views/versions.ts";

type View = (ctx: Ctx) => Promise<HTMLElement>;
const ROUTES: [RegExp, string[], View, string][] = [
  [/^\/?$/, [], envsView, "Environments"],
  [/^\/env\/([^/]+)\/flag\/([^/]+)$/, ["env", "flag"], flagView, "Flag"],
  [/^\/env\/([^/]+)\/flag\/([^/]+)\/results$/, ["env", "flag"], resultsView, "Results"],
  [/^\/env\/([^/]+)\/versions$/, ["env"], versionsView, "Versions"],
  [/^\/env\/([^/]+)\/audit$/, ["env"], auditView, "Audit log"],
];

const main = () => document.getElementById("main")!;
let me: Me | null = null;
let rendering = 0;

function who(): void {
  const box = document.getElementById("who")!;
  if (me === null) return void box.replaceChildren();
  const out = h("button", { type: "button", onclick: signOut }, "Sign out");
  box.replaceChildren(h("span", { "data-me": me.role }, `${me.name} · ${me.role}`), " ", storedToken() === null ? "" : out);
}

function signOut(): void {
  keepToken(null);
  me = null;
  announce("Signed out");
  showSignIn();
}

function showSignIn(why = ""): void {
  who();
  main().replaceChildren(signInView((m) => ((me = m), render()), why));
  document.title = "Sign in · edgeflag";
  main().querySelector<HTMLElement>("h1")?.focus();
}

async function render(): Promise<void> {
  if (me === null) return showSignIn();
  who();
  const path = decodeURIComponent(location.hash.replace(/^#/, "")) === "" ? "/" : location.hash.slice(1);
  const route = ROUTES.find(([re]) => re.test(path));
  const ticket = ++rendering;
  if (!route) return void main().replaceChildren(h("h1", { tabindex: -1 }, "Not found"), h("p", null, h("a", { href: "#/" }, "All envs")));
  const [re, names, view, title] = route;
  const values = re.exec(path)!.slice(1).map(decodeURIComponent);
  const ctx: Ctx = { me, params: Object.fromEntries(names.map((n, i) => [n, values[i]!])), refresh: () => void render() };
  main().setAttribute("aria-busy", "true");
  let el: HTMLElement;
  try {
    el = await view(ctx);
  } catch (e) {
    el = h("div", null, h("h1", { tabindex: -1 }, title), problem(e));
  }
  if (ticket !== rendering || me === null) return;
  main().replaceChildren(el);
  main().removeAttribute("aria-busy");
  document.title = `${[ctx.params.flag, ctx.params.env].filter(Boolean).join(" · ") || title} · ${title} · edgeflag`;
  document.documentElement.dataset.view = title.toLowerCase().replace(/ /g, "-");
  // How many views were shown: tests wait for it to move; the bench reads the mark's time.
  document.documentElement.dataset.rendered = String(ticket);
  performance.mark(`edgeflag:rendered:${document.documentElement.dataset.view}`);
  main().querySelector<HTMLElement>("h1")?.focus({ preventScroll: true });
}

whenUnauthorized(() => {
  me = null;
  showSignIn("The Worker no longer accepts the token (401): sign in again.");
});
window.addEventListener("hashchange", () => void render());
// A token kept by this tab, else a Cloudflare Access identity, else the form.
whoami(storedToken()).then(
  (m) => {
    me = m;
    if (m === null) keepToken(null);
    void render();
  },
  (e: unknown) => main().replaceChildren(problem(e)),
);
