// The ingestion bench's "no exposure check" row: the edgeflag Worker as it is, except that POST
// /v1/events takes each exposure's variant at its word (no config version read, no bucket
// recomputed). Beside the real Worker, in the same run, it shows what the check costs. Never
// deployed: the real route always checks.
import worker from "../../worker/src/index.ts";
// wrangler.toml binds the ConfigWriter Durable Object (the config publish goes through it).
export { ConfigWriter } from "../../worker/src/index.ts";
import type { EventsMessageBody } from "../../worker/src/events/message.ts";
import { toErrorResponse } from "../../worker/src/lib/http.ts";
import { eventsRoute } from "../../worker/src/routes/events.ts";

const unchecked = eventsRoute({ checkExposures: false });

export default {
  ...worker,
  async fetch(request, env, ctx) {
    // wrk sends no Origin: the route table's CORS and auth add nothing to this route's answer.
    if (request.method !== "POST" || new URL(request.url).pathname !== "/v1/events") return worker.fetch(request, env, ctx);
    return unchecked(request, env).catch(toErrorResponse);
  },
} satisfies ExportedHandler<Env, EventsMessageBody>;
