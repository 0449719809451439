/**
 * Live updates (`live: true`): a WebSocket to the Worker's `/v1/configs/<env>/live`, on which the
 * env's Durable Object says `{"type":"version","version":N}` for each new version (and the latest
 * on connect). A version newer than the one held is fetched and verified like any poll: the
 * message is a hint, never config, so a lying socket can at most cause a fetch. On close or error
 * it reconnects with jittered backoff (at most 30 s); a ping every 30 s keeps proxies from closing
 * an idle socket. Polling runs as before, the fallback. Where no `WebSocket` global exists it does
 * nothing.
 *
 * @module
 */
import { later, stop, type Timer } from "./platform.ts";

/** A ping this often; the Worker's runtime answers it without waking the Durable Object. */
const PING_MS = 30_000;
/** Reconnection waits double from 1 s up to this, each drawn in [half, all] of it. */
const MAX_BACKOFF_MS = 30_000;

/** The part of a WebSocket used here, as browsers, Node and Deno have it (workerd's typings lack the on* handlers). */
interface Socket {
  onopen: (() => void) | null;
  onmessage: ((m: { data: unknown }) => void) | null;
  onclose: (() => void) | null;
  send(data: string): void;
  close(): void;
}

/** What live updates need of the client. */
export interface LiveHooks {
  /** The version the client holds (0 when none). */
  held(): number;
  /** Fetches and verifies version `version` (never throws). */
  fetch(version: number): void;
  /** In [0, 1): the jitter of reconnections. */
  random(): number;
}

/**
 * Opens the live socket at `url` (ws: or wss:) and keeps it open until the returned function is
 * called. Never throws.
 *
 * @example
 * const stopLive = liveUpdates("wss://flags.example.com/v1/configs/production/live", { held: () => 3, fetch: (v) => void refresh(v), random: Math.random });
 */
export function liveUpdates(url: string, hooks: LiveHooks): () => void {
  let ws: Socket | undefined;
  let timer: Timer | undefined;
  let failures = 0;
  let closed = false;
  // send() and close() never throw once a socket is open (WHATWG: a closing socket drops the data).
  const ping = () => (timer = later(() => (ws!.send("ping"), ping()), PING_MS));
  const connect = () => {
    try {
      ws = new WebSocket(url) as unknown as Socket;
    } catch {
      return; // no WebSocket global, or a URL it refuses: polling carries on
    }
    ws.onopen = () => {
      failures = 0;
      ping();
    };
    ws.onmessage = (m) => {
      try {
        const { type, version } = JSON.parse(m.data as string);
        if (type == "version" && Number.isSafeInteger(version) && version > hooks.held()) hooks.fetch(version);
      } catch {
        // "pong", or anything else: ignored
      }
    };
    ws.onclose = () => {
      stop(timer);
      if (!closed) timer = later(connect, Math.min(MAX_BACKOFF_MS, 1000 * 2 ** failures++) * (0.5 + hooks.random() / 2));
    };
  };
  connect();
  return () => {
    closed = true;
    stop(timer);
    ws?.close();
  };
}
