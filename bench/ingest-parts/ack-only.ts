// The ingestion bench's "ack only" row: the edgeflag Worker as it is, except that its Queue
// consumer acknowledges each batch without storing it (no D1, no R2). Beside the real Worker it
// shows what the durable store costs on the local simulation. Never deployed.
import worker from "../../worker/src/index.ts";
// wrangler.toml binds the ConfigWriter Durable Object (the config publish goes through it).
export { ConfigWriter } from "../../worker/src/index.ts";
import type { EventsMessageBody } from "../../worker/src/events/message.ts";

export default {
  ...worker,
  async queue(batch: MessageBatch<EventsMessageBody>): Promise<void> {
    batch.ackAll();
  },
} satisfies ExportedHandler<Env, EventsMessageBody>;
