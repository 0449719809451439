/**
 * `GET /v1/configs/:env/live`: a WebSocket on which the env's ConfigWriter pushes each new version
 * number (live push; worker/src/services/live-sockets.ts). Only a GET with `Upgrade: websocket`
 * connects; any other GET, and every HEAD, is 426 UPGRADE_REQUIRED (the HEAD as its GET, without
 * the body), so the route keeps the table's HEAD-on-every-GET rule.
 *
 * @module
 */
import { HttpError } from "../lib/http.ts";
import { envName } from "../lib/params.ts";
import type { Params } from "../lib/router.ts";
import { writerOf } from "../services/config-writer.ts";

/**
 * Hands the upgrade to the env's ConfigWriter, which accepts the socket (hibernatable) and sends
 * the latest version at once; 400 for a bad env name, 426 without an upgrade, 503 LIVE_FULL at the cap.
 *
 * @example
 * const ws = new WebSocket("wss://flags.example.com/v1/configs/production/live");
 * ws.onmessage = (m) => console.log(JSON.parse(m.data)); // {"type":"version","env":"production","version":7}
 */
export function getLive(request: Request, env: Env, _ctx: ExecutionContext, params: Params): Promise<Response> {
  const name = envName(params.env);
  if (request.method !== "GET" || request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
    throw new HttpError(426, "UPGRADE_REQUIRED", `connect with a WebSocket (Upgrade: websocket) to hear of new versions of "${name}"; GET /v1/configs/${name} reads the latest`, { headers: { Upgrade: "websocket" } });
  }
  return writerOf(env, name).fetch(new Request(`https://config-writer/live?env=${encodeURIComponent(name)}`, { headers: request.headers }));
}
