/**
 * Live push: the WebSockets an env's ConfigWriter holds for `GET /v1/configs/:env/live`. They are
 * accepted with the Hibernation API, so an idle connection costs no Durable Object duration: the
 * object is evicted while sockets stay open, and the runtime itself answers a client's `ping`
 * with `pong` (an auto-response) without waking it. Each new version of the env is told to every
 * socket as `{"type":"version","env":…,"version":N}`, and a new socket hears the latest version
 * at once, so a client that missed a push (it was reconnecting) catches up. The message is a hint,
 * never config: clients fetch and verify the version as usual. Clients send nothing but `ping`;
 * anything else closes their socket.
 *
 * @module
 */
import { errorResponse } from "../lib/http.ts";

/** Sockets one env's object holds at most; past it a connect is 503 (clients keep polling). */
export const MAX_LIVE_CONNECTIONS = 10_000;

/** What a client sends to keep its socket alive, and what the runtime answers. */
export const PING = "ping";
export const PONG = "pong";

/** Close code for a client that sent something other than a ping (RFC 6455: policy violation). */
export const POLICY_VIOLATION = 1008;

/**
 * The `version` message of env `name`.
 *
 * @example
 * versionMessage("production", 7) === '{"type":"version","env":"production","version":7}'
 */
export function versionMessage(name: string, version: number): string {
  return JSON.stringify({ type: "version", env: name, version });
}

/**
 * The live sockets of one Durable Object, tagged with their env's name.
 *
 * @example
 * const live = new LiveSockets(ctx);
 * return live.accept("production", async () => 7);
 */
export class LiveSockets {
  readonly #ctx: DurableObjectState;
  readonly #cap: number;

  constructor(ctx: DurableObjectState, cap = MAX_LIVE_CONNECTIONS) {
    this.#ctx = ctx;
    this.#cap = cap;
    // Set on every start (the object may have been evicted): the runtime answers pings while it sleeps.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  /** How many sockets are open (and not yet closed by the object). */
  get count(): number {
    return this.#ctx.getWebSockets().length;
  }

  /**
   * Accepts a client's socket (101), then sends it the latest version (`latest()`, null when
   * nothing was published: it hears the first publish). 503 LIVE_FULL past the cap. Accepting
   * before reading the latest means a publish in between is pushed too (the client keeps the higher).
   */
  async accept(name: string, latest: () => Promise<number | null>): Promise<Response> {
    if (this.count >= this.#cap) {
      const message = `this env has ${this.#cap} live connections already; poll GET /v1/configs/${name} instead`;
      return errorResponse(503, { code: "LIVE_FULL", message }, { "Retry-After": "60" });
    }
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.#ctx.acceptWebSocket(server, [name]);
    const version = await latest().catch(() => null);
    if (version !== null) send(server, versionMessage(name, version));
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Tells every socket of env `name` of its new version. */
  broadcast(name: string, version: number): void {
    const message = versionMessage(name, version);
    for (const ws of this.#ctx.getWebSockets(name)) send(ws, message);
  }
}

/** Sends, ignoring a socket that is closing (its client reconnects and hears the latest then). */
function send(ws: WebSocket, message: string): void {
  try {
    ws.send(message);
  } catch {
    // closed between listing and sending
  }
}

/**
 * What the object does with a message a client sent: a ping that reached it (the runtime answers
 * most) gets its pong; anything else closes the socket. Nothing a client sends is read further.
 *
 * @example
 * webSocketMessage(ws, message) { onClientMessage(ws, message); }
 */
export function onClientMessage(ws: WebSocket, message: string | ArrayBuffer): void {
  if (message === PING) return send(ws, PONG);
  closeSocket(ws, POLICY_VIOLATION, "this socket only takes ping");
}

/**
 * Closes a socket, ignoring one already closed (codes 1005 and 1006 are not sendable: 1000 then).
 *
 * @example
 * webSocketClose(ws, code) { closeSocket(ws, code, "closed"); }
 */
export function closeSocket(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code === 1005 || code === 1006 || code < 1000 || code > 4999 ? 1000 : code, reason);
  } catch {
    // already closed
  }
}
