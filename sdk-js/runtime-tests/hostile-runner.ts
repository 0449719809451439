// Run as a child process by hostile-record.test.ts, in Node (on the built SDK, sdk-js/dist) and
// in Deno (on the sources): the hostile session against the FlagServer whose URL is the first
// argument, with the SDK module to import as the second. Prints the error events as JSON. A
// throw after record() returned (in a microtask, a timer) would end the process with exit 1.
import type * as Sdk from "../src/index.ts";
import { hostileSession } from "./hostile-record.ts";

const g = globalThis as { Deno?: { args: string[] }; process?: { argv: string[] } };
const [baseUrl, sdkUrl] = g.Deno?.args ?? g.process!.argv.slice(2);
const { createClient, MemoryStorage } = (await import(sdkUrl!)) as typeof Sdk;
const errors: Sdk.ClientError[] = [];
const client = createClient({ baseUrl: baseUrl!, env: "test", jwksUrl: `${baseUrl}/.well-known/jwks.json`, storage: new MemoryStorage(), pollIntervalMs: 0, flushIntervalMs: 0, batchSize: 100 });
client.on("error", (e) => errors.push(e));
await client.ready();
await hostileSession(client);
client.close();
console.log(JSON.stringify(errors));
