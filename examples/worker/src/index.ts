/**
 * Your own Worker as an OpenAI-compatible model router: `createRouter` from
 * `@edgeflag/sdk/router` (the very code of the edgeflag Worker's /v1/chat/completions) routes each
 * request by the flag its `model` names and the subject its `user` names, reading the signed
 * config from the FLAGS KV namespace and sending exposures and execution records to the EVENTS
 * Queue, which the edgeflag Worker consumes. Here the app's own token guards it (`authorize`).
 *
 *   curl http://127.0.0.1:8788/v1/chat/completions -H "Authorization: Bearer $APP_TOKEN" \
 *     -d '{"model": "chat-model", "user": "alice", "messages": [{"role": "user", "content": "Hi"}]}'
 *
 * Or with the official client: `new OpenAI({ baseURL: "http://127.0.0.1:8788/v1", apiKey: APP_TOKEN })`.
 *
 * @module
 */
import { createRouter, openAIError, type Router } from "@edgeflag/sdk/router";

interface Env {
  FLAGS: KVNamespace;
  EVENTS: Queue;
  /** The env whose config routes the calls, e.g. "production". */
  EDGEFLAG_ENV: string;
  /** The public keys configs are signed with: a JWK Set as JSON (the edgeflag Worker's /.well-known/jwks.json). */
  EDGEFLAG_JWKS: string;
  /** Secret name → the origins it may be sent to, as JSON: {"OPENAI_API_KEY": ["https://api.openai.com"]}. */
  ROUTER_UPSTREAMS: string;
  /** This app's own bearer token (a secret); unset → every call is refused. */
  APP_TOKEN?: string;
  /** Upstream keys (secrets), read only when ROUTER_UPSTREAMS lists their name. */
  OPENAI_API_KEY?: string;
  ANTHROPIC_API_KEY?: string;
}

// One router per isolate: the config is verified once per version, exposures deduplicated.
let router: Router | undefined;

function makeRouter(env: Env): Router {
  const upstreams = JSON.parse(env.ROUTER_UPSTREAMS) as Record<string, string[]>;
  return createRouter({
    env: env.EDGEFLAG_ENV,
    trust: { keys: JSON.parse(env.EDGEFLAG_JWKS) },
    kv: env.FLAGS,
    queue: env.EVENTS,
    upstreams,
    secret: (name) => (Object.hasOwn(upstreams, name) && (name === "OPENAI_API_KEY" || name === "ANTHROPIC_API_KEY") ? env[name] : undefined),
    authorize: (request) =>
      env.APP_TOKEN && request.headers.get("Authorization") === `Bearer ${env.APP_TOKEN}`
        ? null
        : openAIError(401, { message: "send this app's token as the API key", type: "invalid_request_error", param: null, code: "invalid_api_key" }),
  });
}

export default {
  fetch(request, env, ctx): Promise<Response> {
    router ??= makeRouter(env);
    return router.fetch(request, ctx);
  },
} satisfies ExportedHandler<Env>;
