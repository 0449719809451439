// Run by real Deno (test/e2e/live-push.test.ts) against wrangler dev: a client with live: true and
// a 60 s poll, on Deno's own WebSocket global. Prints one JSON line when ready, then one each time
// the flag's value changes, with Date.now(), until stdin closes.
import { createClient, MemoryStorage } from "../src/index.ts";

declare const Deno: { args: string[]; stdin: { readable: ReadableStream<Uint8Array> } };
const [baseUrl, env, keys, flag] = Deno.args as [string, string, string, string];
const client = createClient({ baseUrl, env, keys: JSON.parse(keys), subject: "deno-1", storage: new MemoryStorage(), live: true, pollIntervalMs: 60_000, flushIntervalMs: 0 });
const say = (line: object) => console.log(JSON.stringify(line));
say({ ready: await client.ready(), value: client.getBoolean(flag, false) });
client.on("update", ({ version }) => say({ version, value: client.getBoolean(flag, false), at: Date.now() }));
for await (const _ of Deno.stdin.readable) {
  // the test closes stdin when it is done
}
client.close();
