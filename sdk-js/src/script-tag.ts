/**
 * The script-tag build's entry (global `edgeflag`). With data attributes on its own <script>
 * tag it starts a client by itself:
 *
 *   <script src="https://flags.example.com/sdk/edgeflag.min.js" data-base-url="https://flags.example.com"
 *           data-env="production" data-root-key="s9-c3FTgWKeVB6-4G5DCJrZUFd69kjpCqCp68czVjKo"></script>
 *
 * data-base-url defaults to the origin the script came from (a relative URL is resolved).
 * Trust is pinned here, never fetched: data-root-key takes the root's RFC 7638 thumbprint or
 * public JWK (configs then verify with the keys of the key set it signed, read from
 * <base-url>/.well-known/edgeflag-keys.jws), data-keys (or data-key) public keys as a JWK or JWK
 * Set (JSON). A bare data-jwks-url is refused (ignored: nothing is trusted, NO_TRUSTED_KEYS),
 * since the host it names is the host that serves configs.
 * data-subject a subject (else a stable anonymous one is made and kept); data-events-url where
 * events go (default <base-url>/v1/events); data-live (any value but "false") holds a WebSocket
 * on which the Worker announces new versions (ClientOptions.live). Elements with
 * data-edgeflag-feedback="up|down" and data-edgeflag-flag="<flag>" send feedback on click.
 * `edgeflag:ready` fires on document with {client, state} as its detail.
 *
 * Two performance marks time the script itself: `edgeflag:start`, its first statement (rollup's
 * `intro`, sdk-js/rollup.config.mjs), and `edgeflag:first-eval`, the end of the page's first
 * evaluation (`npm run bench` reports the interval).
 *
 * @module
 */
import { createClient, type EdgeflagClient } from "./client/client.ts";

export { createClient };
export let client: EdgeflagClient | null = null;

type Script = { dataset: Record<string, string | undefined>; src?: string };
type Doc = {
  currentScript?: Script | null;
  addEventListener(type: string, f: (e: { target?: unknown }) => void): void;
  dispatchEvent(e: unknown): boolean;
};

function start(): void {
  const doc = (globalThis as { document?: Doc }).document;
  const script = doc?.currentScript;
  const data = script?.dataset;
  if (!doc || !data?.env) return;
  // The base URL defaults to where the script came from; a relative one is resolved against the page.
  let baseUrl: string;
  try {
    baseUrl = new URL(data.baseUrl ?? "/", script?.src || (globalThis as { location?: { href: string } }).location?.href).href.replace(/\/+$/, "");
  } catch {
    return;
  }
  // A pin that does not parse trusts nothing (every config refused, with a reason), never less.
  const json = (text: string) => {
    try {
      return JSON.parse(text);
    } catch {
      return text[0] === "{" ? [] : text;
    }
  };
  const keys = data.keys || data.key;
  const c = createClient({ baseUrl, env: data.env, keys: keys && json(keys), rootKey: data.rootKey && json(data.rootKey), subject: data.subject || undefined, eventsUrl: data.eventsUrl || undefined, live: data.live != null && data.live != "false" });
  client = c;
  const { evaluate } = c;
  c.evaluate = (...args) => {
    c.evaluate = evaluate;
    const result = evaluate(...args);
    performance.mark("edgeflag:first-eval");
    return result;
  };
  doc.addEventListener("click", (event) => {
    // The nearest element (the target or an ancestor) with a non-empty rating attribute.
    const el = (event.target as { closest?(selector: string): Element | null } | null)?.closest?.('[data-edgeflag-feedback]:not([data-edgeflag-feedback=""])');
    const rating = el?.getAttribute("data-edgeflag-feedback");
    const flag = el?.getAttribute("data-edgeflag-flag");
    // Credit what was shown: the last assignment rendered, not a fresh evaluation.
    if ((rating === "up" || rating === "down") && flag) c.feedback(c.lastAssignment(flag) ?? c.evaluate(flag, null), rating);
  });
  void c.ready().then((state) => {
    const Ev = (globalThis as { CustomEvent?: new (t: string, i: unknown) => unknown }).CustomEvent;
    if (Ev) doc.dispatchEvent(new Ev("edgeflag:ready", { detail: { client: c, state } }));
  });
}

start();
