/**
 * Edge model routing: each chat request gets the model that the signed `chat-model` flag picks
 * for its user, evaluated in the Worker itself (no flag-service call per request). The exposure
 * is sent after the response, through ctx.waitUntil. No LLM is called: the answer names the model.
 *
 *   curl -H 'x-user-id: alice' http://127.0.0.1:8788/chat
 *
 * @module
 */
import { createClient, type EdgeflagClient } from "@edgeflag/sdk";

interface Env {
  /** The edgeflag Worker, e.g. "https://flags.example.com". */
  EDGEFLAG_BASE_URL: string;
  EDGEFLAG_ENV: string;
}

interface ModelChoice { provider: string; model?: string; answer?: string }
/** What a user gets when no verified config is at hand. */
const FALLBACK: ModelChoice = { provider: "openai", model: "gpt-4o-mini" };
const REFRESH_MS = 60_000;

// One client per isolate: the config is fetched and verified once, not on every request.
let client: EdgeflagClient | undefined;
let refreshedAt = 0; // not Date.now(): the clock reads 0 outside a request

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const subject = request.headers.get("x-user-id");
    if (!subject) return Response.json({ error: "send the user's id in x-user-id" }, { status: 400 });
    if (!client) {
      client = createClient({
        baseUrl: env.EDGEFLAG_BASE_URL,
        env: env.EDGEFLAG_ENV,
        jwksUrl: `${env.EDGEFLAG_BASE_URL}/.well-known/jwks.json`,
        pollIntervalMs: 0, // no timers in a Worker: refresh from requests instead
      });
      refreshedAt = Date.now();
    }
    await client.ready();
    if (Date.now() - refreshedAt > REFRESH_MS) {
      refreshedAt = Date.now();
      ctx.waitUntil(client.refresh()); // this request answers with the config in hand
    }
    const assignment = client.evaluate("chat-model", FALLBACK, { subject });
    ctx.waitUntil(client.flush()); // the exposure leaves after the response
    return Response.json({ variant: assignment.variant, model: assignment.value.model ?? null });
  },
} satisfies ExportedHandler<Env>;
