/**
 * The only browser-specific code of the client: page lifecycle, sendBeacon and connectivity,
 * each feature-detected so that SSR, Deno, Node and Workers get `null` and never crash.
 *
 * @module
 */

export interface PageHooks {
  /** Calls back when the page is hidden or unloads (the last moment to send reliably). */
  onHidden(callback: () => void): () => void;
  /** navigator.sendBeacon with a text/plain body (no CORS preflight); false when not queued. */
  sendBeacon(url: string, body: string): boolean;
  /** navigator.onLine, or true when unknown. */
  online(): boolean;
}

/** The type of every event body: a "simple" request, so no CORS preflight. */
export const TEXT_PLAIN = "text/plain;charset=UTF-8";

type Doc = { visibilityState?: string; addEventListener(t: string, f: () => void): void; removeEventListener(t: string, f: () => void): void };
type Nav = { sendBeacon?: (url: string, data: Blob) => boolean; onLine?: boolean };

/** The hooks of this page, or null outside a browser. */
export function pageHooks(): PageHooks | null {
  const g = globalThis as { document?: Doc; navigator?: Nav; addEventListener?: Doc["addEventListener"]; removeEventListener?: Doc["removeEventListener"] };
  const doc = g.document;
  const nav = g.navigator;
  if (!doc || typeof doc.addEventListener !== "function" || typeof nav?.sendBeacon !== "function") return null;
  return {
    onHidden(callback) {
      const onVisibility = () => {
        if (doc.visibilityState === "hidden") callback();
      };
      doc.addEventListener("visibilitychange", onVisibility);
      g.addEventListener?.("pagehide", callback);
      return () => {
        doc.removeEventListener("visibilitychange", onVisibility);
        g.removeEventListener?.("pagehide", callback);
      };
    },
    sendBeacon(url, body) {
      try {
        return nav.sendBeacon!(url, new Blob([body], { type: TEXT_PLAIN }));
      } catch {
        return false;
      }
    },
    online: () => nav.onLine !== false,
  };
}
