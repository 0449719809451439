// Shared by the model router's workerd tests (model-router.test.ts, router-keys.test.ts): a
// config of fixed arms, request helpers with a router key, and D1 reads of an assignment's rows.
import { env } from "cloudflare:workers";
import type { FlagConfig } from "@edgeflag/config-schema";
import { compileConfig } from "@edgeflag/sdk/core";
import { call } from "./helpers.ts";

/** Two fixed arms 1:1, a flag with a shadow variant, and a flag whose values are not model calls. */
export const ROUTED: FlagConfig = {
  flags: {
    "chat-model": {
      enabled: true,
      variants: { "answer-42": { value: { provider: "fixed", answer: "42" } }, "answer-43": { value: { provider: "fixed", answer: "43" } } },
      defaultVariant: "answer-42",
      allocations: [{ key: "experiment", splits: [{ variant: "answer-42", weight: 1 }, { variant: "answer-43", weight: 1 }], log: true }],
    },
    "shadowed-model": {
      enabled: true,
      variants: { main: { value: { provider: "fixed", answer: "the main answer" } }, "shadow-7": { value: { provider: "fixed", answer: "7" } } },
      defaultVariant: "main",
      allocations: [{ key: "with-shadow", splits: [{ variant: "main", weight: 1 }], log: true, shadow: { variant: "shadow-7" } }],
    },
    "plain-flag": { enabled: true, variants: { on: { value: true }, off: { value: false } }, defaultVariant: "off", allocations: [] },
  },
};
export const compiled = compileConfig(ROUTED);

/** POST /v1/chat/completions with router key `key`; `body` is sent as JSON unless it is a string. */
export const chatWith = (key: string, body: unknown, headers: Record<string, string> = {}) =>
  call("/v1/chat/completions", { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
/** A chat request for `user` on chat-model, with overrides. */
export const ask = (user: string, extra: Record<string, unknown> = {}) => ({ model: "chat-model", user, messages: [{ role: "user", content: "What is the answer?" }], ...extra });
/** The OpenAI-shaped error of an answer. */
export const errorOf = async (res: Response) => (await res.json<{ error: { message: string; type: string; param: string | null; code: string | null } }>()).error;

/** An events row, with the columns the router fills. */
export interface Row { type: string; subject: string; variant: string | null; assignment_id: string; model: string | null; input_tokens: number | null; output_tokens: number | null; cost: number | null; error: string | null; served_variant: string | null; fallback: number | null; shadow: number | null; stream: number | null; provider: string | null; usage_source: string | null; finish_reason: string | null; truncated: number | null; attempts: string | null }

/** The rows of an assignment once the consumer stored `count` of them. */
export async function rowsOf(assignmentId: string, count: number): Promise<Row[]> {
  const until = Date.now() + 15_000;
  for (;;) {
    const found = (await env.DB.prepare("SELECT * FROM events WHERE assignment_id = ? ORDER BY type, variant").bind(assignmentId).all<Row>()).results;
    if (found.length >= count || Date.now() > until) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
}
