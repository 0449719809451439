/**
 * What a change made inside the ConfigWriter answers across the RPC boundary: the value, or the
 * refusal as plain data (an Error's class and fields do not survive RPC), which the route turns
 * back into an HttpError.
 *
 * @module
 */
import { ConfigChangeError, type ConfigChangeCode, type Published } from "@edgeflag/config-schema/domain";
import { HttpError, type ErrorBody } from "../lib/http.ts";

/** A change's value, or its refusal with the HTTP status and error body it answers. */
export type Outcome<T = Published> = { ok: true; value: T } | { ok: false; status: number; error: ErrorBody };

const STATUS: Record<ConfigChangeCode, number> = { VERSION_CONFLICT: 409, ENV_NOT_FOUND: 404, VERSION_NOT_FOUND: 404, UNKNOWN_FLAG: 400, UNKNOWN_VARIANT: 400, UNKNOWN_ALLOCATION: 400 };

/**
 * Runs a change and catches its refusal (ConfigChangeError, HttpError) as data; anything else
 * is a bug and is thrown.
 *
 * @example
 * const outcome = await outcomeOf(() => publish(store, input));
 */
export async function outcomeOf<T>(change: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await change() };
  } catch (e) {
    if (!(e instanceof ConfigChangeError || e instanceof HttpError)) throw e;
    const status = e instanceof HttpError ? e.status : STATUS[e.code];
    const error: ErrorBody = { code: e.code, message: e.message };
    if (e.pointer !== undefined) error.pointer = e.pointer;
    if (e.latest !== undefined) error.latest = e.latest;
    return { ok: false, status, error };
  }
}

/**
 * The value of an outcome, or its refusal thrown as an HttpError for the route to answer.
 *
 * @example
 * const published = await applied(writer.publishContent(name, config, change));
 */
export async function applied<T>(outcome: Promise<Outcome<T>>): Promise<T> {
  const o = await outcome;
  if (o.ok) return o.value;
  const { code, message, ...extra } = o.error;
  throw new HttpError(o.status, code, message, extra);
}

/** 501 for a change the Worker would have to sign without a key. */
export function noSigningKey(): HttpError {
  return new HttpError(501, "NO_SIGNING_KEY", "this Worker has no SIGNING_KEY, so it cannot sign: sign the config yourself (edgeflag sign) and send the JWS, as {\"jws\": \"...\"} or with Content-Type: application/jose");
}
