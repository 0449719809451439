/**
 * Sign-in: an admin token pasted into a password field, checked with `GET /v1/admin/me`, then
 * kept in this tab's sessionStorage only. The field is never part of a URL (the form posts
 * nowhere) and the token is never logged.
 *
 * @module
 */
import { keepToken, whoami, type Me } from "../api.ts";
import { problem } from "../app.ts";
import { h } from "../dom.ts";

/**
 * The form; `signedIn` runs once the Worker accepted the token.
 *
 * @example
 * main.replaceChildren(signInView((me) => start(me)));
 */
export function signInView(signedIn: (me: Me) => void, why = ""): HTMLElement {
  const token = h("input", { id: "token", name: "token", type: "password", autocomplete: "off", required: true, spellcheck: false });
  const out = h("div");
  const form = h(
    "form",
    { class: "card signin", action: "javascript:void 0" },
    h("h1", { tabindex: -1 }, "Sign in"),
    why ? h("p", { class: "note" }, why) : null,
    h("p", null, "Paste an admin token (`edgeflag tokens create`, or npm start's .edgeflag/dev-admin-token). Role read shows everything; role admin may also roll back, kill and steer ramps. The token stays in this tab only."),
    h("label", { for: "token" }, "Admin token"),
    token,
    out,
    h("button", { type: "submit", class: "act" }, "Sign in"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const value = token.value.trim();
    if (!value) return void token.reportValidity();
    whoami(value).then(
      (me) => {
        if (me === null) return void out.replaceChildren(h("p", { class: "alert", role: "alert" }, "The Worker refused this token (401): it is wrong, unknown or revoked."));
        keepToken(value);
        signedIn(me);
      },
      (err: unknown) => out.replaceChildren(problem(err)),
    );
  });
  return form;
}
