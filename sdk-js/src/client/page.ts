/**
 * The only browser-specific code of the client: page lifecycle, sendBeacon and connectivity,
 * each feature-detected so that SSR, Deno, Node and Workers get `null` and never crash. The HTTP
 * event sink holds the page through these hooks; the queue hands them what is pending when it goes.
 *
 * @module
 */
import type { EdgeflagEvent } from "./events.ts";

/** The member names are shortened in the script tag: nothing outside the bundle sees them. */
export interface PageHooks {
  /** Calls back when the page is hidden or unloads (the last moment to send reliably). */
  onHidden(callback: () => void): () => void;
  /** navigator.onLine, or true when unknown. */
  online(): boolean;
  /** Whether an event is in a keepalive fetch on its way: that fetch outlives the page, so it is not beaconed. */
  flying(id: string): boolean;
  /** Hands a batch to navigator.sendBeacon (text/plain: no CORS preflight); false when not queued. */
  beacon(batch: EdgeflagEvent[]): boolean;
}

/** The type of every event body: a "simple" request, so no CORS preflight. */
export const TEXT_PLAIN = "text/plain;charset=UTF-8";

type Doc = { visibilityState?: string; addEventListener(t: string, f: () => void): void; removeEventListener(t: string, f: () => void): void };
type Nav = { sendBeacon?: (url: string, data: Blob) => boolean; onLine?: boolean };

/** The hooks of this page for beacons to `url`, or null outside a browser. */
export function pageHooks(url: string, flying: (id: string) => boolean): PageHooks | null {
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
    online: () => nav.onLine !== false,
    flying,
    beacon(batch) {
      try {
        return nav.sendBeacon!(url, new Blob([JSON.stringify(batch)], { type: TEXT_PLAIN }));
      } catch {
        return false;
      }
    },
  };
}
