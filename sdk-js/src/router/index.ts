/**
 * The OpenAI-compatible model router for Workers: `createRouter` routes `POST
 * /v1/chat/completions` by a flag (the request's `model`) and the caller's subject (`user`), and
 * lists the routable flags at `GET /v1/models`. The built-in Worker endpoint is this same code.
 *
 * @example
 * import { createRouter } from "@edgeflag/sdk/router";
 * const router = createRouter({ env: "production", trust: { keys: jwks }, kv: env.FLAGS, queue: env.EVENTS, secret: (n) => env[n], upstreams: { OPENAI_API_KEY: ["https://api.openai.com"] } });
 * export default { fetch: (request, env, ctx) => router.fetch(request, ctx) };
 *
 * @module
 */
export { createRouter, DEFAULT_LIMITS, type Router, type RouterLimits, type RouterOptions, type WaitUntil } from "./router.ts";
export { errorResponseOf, invalid, openAIError, RouterError, type OpenAIErrorBody } from "./errors.ts";
export { modelCallOf, routable } from "./variants.ts";
export { modelList } from "./models.ts";
export { executionOf } from "./execution.ts";
export { findJsonProblem, type JsonProblem } from "./json-walk.ts";
export { readLimitedBody } from "./limited-body.ts";
