/**
 * The single writer of an env's config: one Durable Object per env (`CONFIG_WRITER.idFromName(env)`)
 * through which every change goes — publish, rollback, kill switch, renewal, ramp step. It runs one change
 * at a time (awaiting KV lets other requests in, so a promise chain orders them), owns the
 * version counter and the history in its SQLite storage, and writes KV, which clients read.
 * Versions written into KV by others (the CLI's `wrangler kv` path) are seen through KV and
 * never overwritten (nor pushed: clients poll those in).
 *
 * It also holds the env's live connections (`GET /v1/configs/:env/live`, ./live-sockets.ts):
 * every version it stores is pushed to them, and they hibernate with it.
 *
 * @module
 */
import { DurableObject } from "cloudflare:workers";
import { decodeSignedConfig, DEFAULT_MAX_BYTES, signConfig } from "@edgeflag/sdk/signing";
import type { FlagConfig } from "@edgeflag/config-schema";
import { killSwitch, publish, readLatestVersion, readVersion, setRollout, stripSigningClaims, type Change, type Published, type Signed, type Signer, type VersionRecord } from "@edgeflag/config-schema/domain";
import type { RampState } from "@edgeflag/analysis";
import { HttpError } from "../lib/http.ts";
import { signingKey } from "../lib/keys.ts";
import { closeSocket, LiveSockets, onClientMessage } from "./live-sockets.ts";
import { noSigningKey, outcomeOf, type Outcome } from "./outcome.ts";
import { RampStore, sameState, type RampEvent, type StoredRamp } from "./ramp-store.ts";
import { WriterStore } from "./writer-store.ts";

/** Renew a config that expires within a week: clients offline for days still find a valid one. */
export const RENEW_BEFORE_MS = 7 * 86_400_000;

const contentOf = (jws: string): FlagConfig => stripSigningClaims(decodeSignedConfig(jws).payload);

/** One step of a ramp, decided on `expected` (null: the ramp has no state yet). */
export interface RampStep {
  flag: string;
  allocation: string;
  expected: RampState | null;
  next: RampState;
  /** The allocation's rollout after the step; a new version is published only when it changes. */
  rollout: number;
  /** start, advance, extend, complete, rollback, hold, warn, sync (the watcher); pause, resume, advance, abort (a person). */
  action: string;
  actor: string;
  reason: string;
  /** The warn breaches now posted (see StoredRamp.warned); default: unchanged. */
  warned?: string;
  now: number;
}

/** What a ramp step did: applied (with the version it published, if any), or stale and skipped. */
export type RampStepResult = { applied: true; version: number | null } | { applied: false; reason: string };

/**
 * The env's single writer; reached through `writerOf(env, name)`. Each change method answers an
 * `Outcome` (the route turns a refusal back into its HTTP error with `applied`).
 *
 * @example
 * const published = await applied(writerOf(env, "production").kill("production", "chat-model", "fixed", { actor: "ana", action: "kill" }));
 */
export class ConfigWriter extends DurableObject<Env> {
  readonly #store: WriterStore;
  readonly #ramps: RampStore;
  readonly #live: LiveSockets;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#live = new LiveSockets(ctx);
    this.#store = new WriterStore(ctx.storage.sql, env.FLAGS, (name, version) => this.#live.broadcast(name, version));
    this.#ramps = new RampStore(ctx.storage.sql);
  }

  /**
   * A live connection of env `?env=` (the route checked the name and the Upgrade): 101 with the
   * latest version sent at once, 503 past the cap.
   */
  override fetch(request: Request): Promise<Response> {
    const name = new URL(request.url).searchParams.get("env") ?? "";
    return this.#live.accept(name, () => this.#store.readLatest(name));
  }

  /** A message from a client that the runtime's ping auto-response did not take. */
  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    onClientMessage(ws, message);
  }

  /** The client closed: close our side too (the socket leaves getWebSockets()). */
  override webSocketClose(ws: WebSocket, code: number): void {
    closeSocket(ws, code, "closed");
  }

  /** Runs `change` once every change before it has finished, and answers its outcome. */
  #serial<T>(change: () => Promise<T>): Promise<Outcome<T>> {
    const run = this.#tail.then(() => outcomeOf(change));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Signs `content` with SIGNING_KEY at the version `publish` picks; 413 past the client limit. */
  #signer(name: string, content: FlagConfig): Signer {
    return async (version) => {
      const key = await signingKey(this.env);
      if (key === undefined) throw noSigningKey();
      const jws = await signConfig(content, { key, env: name, version });
      if (jws.length > DEFAULT_MAX_BYTES) throw new HttpError(413, "TOO_LARGE", `the signed config is ${jws.length} bytes; clients refuse more than ${DEFAULT_MAX_BYTES}`);
      return { jws, kid: key.kid! };
    };
  }

  /** Signs a validated config as the next version. */
  publishContent(name: string, content: FlagConfig, change: Change): Promise<Outcome> {
    return this.#serial(() => publish(this.#store, { env: name, change, sign: this.#signer(name, content) }));
  }

  /** Stores a config the caller verified, at its own version; 409 unless above the latest and free. */
  publishSigned(name: string, signed: Signed, change: Change): Promise<Outcome> {
    return this.#serial(() => publish(this.#store, { env: name, change, signed }));
  }

  /** Republishes version `to`'s content as the next version. */
  rollback(name: string, to: number, change: Change): Promise<Outcome> {
    return this.#serial(async () => {
      const content = contentOf(await readVersion(this.#store, name, to));
      return publish(this.#store, { env: name, change: { ...change, action: "rollback", from: to }, sign: this.#signer(name, content) });
    });
  }

  /** The latest content with `flag` disabled to serve `variant`, as the next version. */
  kill(name: string, flag: string, variant: string, change: Change): Promise<Outcome> {
    return this.#serial(async () => {
      const content = killSwitch(contentOf((await readLatestVersion(this.#store, name)).jws), flag, variant);
      return publish(this.#store, { env: name, change: { ...change, action: "kill", flag, variant }, sign: this.#signer(name, content) });
    });
  }

  /** Republishes the latest content when it expires within RENEW_BEFORE_MS of `now`; null when not needed or nothing is there. */
  renew(name: string, now: number): Promise<Outcome<Published | null>> {
    return this.#serial(async () => {
      const latest = await this.#store.readLatest(name);
      const jws = latest === null ? null : await this.#store.readJws(name, latest);
      if (latest === null || jws === null) return null; // nothing to renew (a pointer naming a missing version is left to a publish)
      const version = latest;
      const { exp } = decodeSignedConfig(jws).payload;
      if (exp * 1000 - now > RENEW_BEFORE_MS) return null;
      const reason = `renewed before expiry (version ${version} expires ${new Date(exp * 1000).toISOString()})`;
      return publish(this.#store, { env: name, change: { actor: "edgeflag-cron", action: "renew", from: version, reason }, sign: this.#signer(name, contentOf(jws)) });
    });
  }

  /**
   * Applies a ramp step unless the ramp moved since it was decided (two ticks racing, or a person
   * and the watcher): then it is skipped, so each decision publishes at most once. A step that
   * changes the rollout publishes the latest content with that rollout as the next version.
   */
  applyRamp(name: string, step: RampStep): Promise<Outcome<RampStepResult>> {
    return this.#serial(async (): Promise<RampStepResult> => {
      const current = this.#ramps.get(step.flag, step.allocation);
      if (!sameState(current, step.expected)) return { applied: false, reason: "the ramp changed since this step was decided" };
      const content = contentOf((await readLatestVersion(this.#store, name)).jws);
      const flag = Object.hasOwn(content.flags, step.flag) ? content.flags[step.flag] : undefined;
      const alloc = flag?.allocations.find((a) => a.key === step.allocation);
      if (alloc?.ramp === undefined) return { applied: false, reason: `flag "${step.flag}" has no ramp on allocation "${step.allocation}" any more` };
      let version: number | null = null;
      if ((alloc.rollout ?? 10000) !== step.rollout) {
        const next = setRollout(content, step.flag, step.allocation, step.rollout);
        const change: Change = { actor: step.actor, action: "ramp", flag: step.flag, allocation: step.allocation, reason: `${step.action}: ${step.reason}` };
        version = (await publish(this.#store, { env: name, change, sign: this.#signer(name, next) })).version;
      }
      this.#ramps.put({ ...step.next, flag: step.flag, allocation: step.allocation, warned: step.warned ?? current?.warned ?? "", updatedAt: step.now });
      if (step.action !== "sync" || version !== null) this.#ramps.log({ at: step.now, flag: step.flag, allocation: step.allocation, action: step.action, actor: step.actor, stage: step.next.stage, rollout: step.rollout, version, reason: step.reason });
      return { applied: true, version };
    });
  }

  /** Every ramp's state in this env. */
  rampStates(): StoredRamp[] {
    return this.#ramps.all();
  }

  /** One ramp's timeline, oldest first. */
  rampEvents(flag: string, allocation: string): RampEvent[] {
    return this.#ramps.events(flag, allocation);
  }

  /** The latest version and every version's record, newest first (this writer's and any found in KV). */
  history(name: string): Promise<{ latest: number | null; records: VersionRecord[] }> {
    return this.#store.history(name);
  }
}

/**
 * The ConfigWriter of env `name` (one per env, by name).
 *
 * @example
 * const published = await applied(writerOf(env, "production").rollback("production", 5, change));
 */
export function writerOf(env: Env, name: string): DurableObjectStub<ConfigWriter> {
  return env.CONFIG_WRITER.get(env.CONFIG_WRITER.idFromName(name));
}
