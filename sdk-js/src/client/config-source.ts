/**
 * Where signed configs come from: the `ConfigSource` port. The client verifies whatever a source
 * gives (a source is never trusted), so a source only fetches: over HTTP from the Worker (the
 * default, polled with If-None-Match), from KV inside a Worker, or a fixed bootstrap.
 *
 * @module
 */
import { messageOf } from "../core/values.ts";
import { statusError } from "./errors.ts";
import { fetchWithin, type Net } from "./platform.ts";

/**
 * A supply of signed configs.
 *
 * @example
 * const source: ConfigSource = { latest: async () => signedConfigFromSomewhere };
 */
export interface ConfigSource {
  /**
   * The latest signed config (a compact JWS), or null when `known` (the version the client holds
   * verified, null when none) is still the latest. Rejects when it cannot tell (the network is
   * down, the server failed): the client keeps its config and emits FETCH_FAILED with the error's
   * message, and its `status` and `serverCode` when it has them. `told`, when given, is a newer
   * version live push announced: a source may fetch exactly that one (a hint: it is verified like any).
   */
  latest(known: number | null, told?: number): Promise<string | null>;
}

/**
 * GET `url` (the Worker's `/v1/configs/<env>`) with If-None-Match: 304 means the known version is
 * still the latest. A version live push announced is read at `url/versions/<n>`: that key is new
 * to every KV cache, where the latest pointer can lag by up to a minute at the edge. A failure names
 * the URL, the status and the server's own error code and message.
 *
 * @example
 * const source = httpConfigSource({ url: "https://flags.example.com/v1/configs/production", fetch, timeoutMs: 10_000 });
 */
export function httpConfigSource(o: Net & { url: string }): ConfigSource {
  const { url } = o;
  return {
    async latest(known, told) {
      const at = told ? `${url}/versions/${told}` : url;
      const res = await fetchWithin(o, at, known && !told ? { headers: { "if-none-match": `"${known}"` } } : {}).catch((e: unknown) => Promise.reject(new Error(`GET ${at}: ${messageOf(e)}`)));
      if (res.status === 304 && known) return null;
      if (!res.ok) throw await statusError(res, `GET ${at}`);
      // Bytes, not res.text(): workerd warns on .text() of an application/jose body, in every Worker's log.
      return new TextDecoder().decode(await res.arrayBuffer());
    },
  };
}
