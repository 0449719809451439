// Events for the ingestion and results tests: valid ones of every type, and D1 reads.
import { env } from "cloudflare:test";
import { call } from "./helpers.ts";

let n = 0;
/** A fresh v4-looking UUID, deterministic per test run order. */
export const id = (): string => crypto.randomUUID();

/** A valid event of a type, with overrides. */
export function event(type: "exposure" | "feedback" | "execution" | "outcome" | "custom" | "purchase", over: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  const base = { id: id(), type, env: "events-test", ts: Date.now(), subject: `user-${n}` };
  const of = { flag: "chat-model", variant: "gpt-4", assignmentId: id() };
  const by: Record<string, Record<string, unknown>> = {
    exposure: { ...of, allocation: "experiment", version: 3 },
    feedback: { ...of, rating: "up", comment: "great" },
    execution: { ...of, model: "gpt-4o", latencyMs: 812, ttftMs: 95, inputTokens: 300, outputTokens: 120, cost: 0.0021 },
    outcome: { ...of, success: true },
    custom: { name: "copied", value: 1 },
  };
  return { ...base, ...by[type], ...over };
}

/** POST /v1/events with a body and content type. */
export function post(body: string, contentType = "application/json", headers: Record<string, string> = {}): Promise<Response> {
  return call("/v1/events", { method: "POST", body, headers: { "Content-Type": contentType, ...headers } });
}

/** How many rows D1 holds for these ids. */
export async function countStored(ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM events WHERE id IN (${ids.map(() => "?").join(",")})`).bind(...ids).first<{ n: number }>();
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
