// Events for the ingestion and results tests: valid ones of every type, and D1 reads. Exposures
// are real: env "events-test" has CONFIG published (publishEventsConfig, in a beforeAll: storage
// is per test file), and an exposure's variant is the one that config assigns its subject.
import { env } from "cloudflare:test";
import { assignedSplit, compileConfig } from "@edgeflag/sdk/core";
import { CONFIG, call, publish } from "./helpers.ts";

/** The env the events tests post to. */
export const EVENTS_ENV = "events-test";
const compiled = compileConfig(CONFIG);

/** The variant CONFIG assigns a subject in chat-model's experiment. */
export function assigned(subject: string): string {
  const a = assignedSplit(compiled, "chat-model", "experiment", subject);
  if (!a.ok) throw new Error(`CONFIG assigns ${subject} nothing: ${a.code}`);
  return a.variant;
}

/** Publishes CONFIG as version 1 of EVENTS_ENV, so the exposures event() makes are real. */
export async function publishEventsConfig(): Promise<void> {
  const version = await publish(EVENTS_ENV, CONFIG);
  if (version !== 1) throw new Error(`${EVENTS_ENV} was published already (version ${version})`);
}

let n = 0;
/** A fresh v4-looking UUID, deterministic per test run order. */
export const id = (): string => crypto.randomUUID();

/** A valid event of a type, with overrides. */
export function event(type: "exposure" | "feedback" | "execution" | "outcome" | "custom" | "purchase", over: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  const base = { id: id(), type, env: EVENTS_ENV, ts: Date.now(), subject: `user-${n}` };
  const of = { flag: "chat-model", variant: "gpt-4", assignmentId: id() };
  const by: Record<string, Record<string, unknown>> = {
    exposure: { ...of, allocation: "experiment", version: 1 },
    feedback: { ...of, rating: "up", comment: "great" },
    execution: { ...of, model: "gpt-4o", latencyMs: 812, ttftMs: 95, inputTokens: 300, outputTokens: 120, cost: 0.0021 },
    outcome: { ...of, success: true },
    custom: { name: "copied", value: 1 },
  };
  const made = { ...base, ...by[type], ...over };
  return type === "exposure" && over.variant === undefined ? { ...made, variant: assigned(made.subject as string) } : made;
}

/** POST /v1/events with a body and content type. */
export function post(body: string, contentType = "application/json", headers: Record<string, string> = {}): Promise<Response> {
  return call("/v1/events", { method: "POST", body, headers: { "Content-Type": contentType, ...headers } });
}

/** How many rows D1 holds for these ids. */
export async function countStored(ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  // One parameter (a JSON array): D1 binds at most 100.
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM events WHERE id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(ids)).first<{ n: number }>();
  return row?.n ?? 0;
}

/** Waits until D1 holds `expected` of these ids (the real Queue delivers within ~1 s). */
export async function waitStored(ids: readonly string[], expected = ids.length, timeoutMs = 15_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  let count = await countStored(ids);
  while (count < expected && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    count = await countStored(ids);
  }
  return count;
}
