/**
 * Every action goes through one confirmation dialog: it says what will happen, asks why (the
 * reason lands in the audit log), and only then calls the admin route. The outcome is announced;
 * a refusal is shown in the dialog.
 *
 * @module
 */
import { announce, problem } from "./app.ts";
import { h } from "./dom.ts";

/** One action to confirm. */
export interface Confirmable {
  title: string;
  /** What will happen, in words. */
  effect: string;
  confirm: string;
  /** Calls the route with the reason; returns the sentence to announce. */
  run(reason: string): Promise<string>;
  /** After success (re-render the view). */
  done(): void;
}

/**
 * Opens the dialog for `what`; focus returns to the button that opened it.
 *
 * @example
 * confirmAction({ title: "Roll back", effect: "…", confirm: "Roll back", run, done: ctx.refresh });
 */
export function confirmAction(what: Confirmable): void {
  const dialog = document.getElementById("confirm") as HTMLDialogElement;
  const opener = document.activeElement as HTMLElement | null;
  const reason = h("textarea", { id: "reason", name: "reason", required: true, maxlength: 300, rows: 2 });
  const out = h("div", { class: "out" });
  const submit = h("button", { type: "submit", class: "act danger" }, what.confirm);
  const form = h(
    "form",
    { method: "dialog" },
    h("h2", { id: "confirm-title" }, what.title),
    h("p", null, what.effect),
    h("label", { for: "reason" }, "Why (kept in the audit log)"),
    reason,
    out,
    h("div", { class: "buttons" }, h("button", { type: "button", onclick: () => dialog.close() }, "Cancel"), submit),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (!reason.value.trim()) return void reason.reportValidity();
    submit.disabled = true;
    what.run(reason.value.trim()).then(
      (said) => {
        dialog.close();
        announce(said);
        what.done();
      },
      (err: unknown) => {
        submit.disabled = false;
        out.replaceChildren(problem(err));
      },
    );
  });
  dialog.replaceChildren(form);
  dialog.setAttribute("aria-labelledby", "confirm-title");
  dialog.onclose = () => opener?.focus();
  dialog.showModal();
  reason.focus();
}
