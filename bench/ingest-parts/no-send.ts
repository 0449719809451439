// The ingestion bench's "no Queue" row: the edgeflag Worker as it is, except that POST /v1/events
// hands accepted events to a Queue stand-in that drops them. Beside the real Worker it shows what
// the route's own work (parse, validate, serialize, answer) costs. Never deployed.
import worker from "../../worker/src/index.ts";
// wrangler.toml binds the ConfigWriter Durable Object (the config publish goes through it).
export { ConfigWriter } from "../../worker/src/index.ts";
import type { EventsMessageBody } from "../../worker/src/events/message.ts";

const dropped = { send: async () => {}, sendBatch: async () => {} } as unknown as Queue;

export default {
  ...worker,
  fetch: (request, env, ctx) => worker.fetch(request, { ...env, EVENTS: dropped }, ctx),
} satisfies ExportedHandler<Env, EventsMessageBody>;
