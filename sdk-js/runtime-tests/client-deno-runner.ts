// Run by real Deno (client-deno.test.ts) against the FlagServer that the vitest side started:
// the client with MemoryStorage and with Deno's own localStorage global. Prints JSON: the named
// cases, and the evaluations, which the vitest side compares with the core evaluated in Node.
import { createClient, MemoryStorage, type Assignment, type ClientOptions } from "../src/index.ts";
import type { CaseResult } from "./suite.ts";

declare const Deno: { args: string[] };
const [baseUrl] = Deno.args;
const SUBJECTS = ["user-1", "user-2", "José", "🚀"];
const cases: CaseResult[] = [];
const check = async (name: string, body: () => Promise<string | null>) => {
  try {
    const failure = await body();
    cases.push(failure === null ? { name, ok: true } : { name, ok: false, detail: failure });
  } catch (e) {
    cases.push({ name, ok: false, detail: `threw: ${(e as Error)?.stack ?? String(e)}` });
  }
};
const same = (actual: unknown, expected: unknown) => (JSON.stringify(actual) === JSON.stringify(expected) ? null : `got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
const serverEvents = async () => (await (await fetch(`${baseUrl}/__test/events`)).json()) as Array<{ type: string; assignmentId: string }>;
const options = (extra: Partial<ClientOptions>): ClientOptions =>
  ({ baseUrl: baseUrl!, env: "test", jwksUrl: `${baseUrl}/.well-known/jwks.json`, pollIntervalMs: 0, flushIntervalMs: 60_000, batchSize: 100, ...extra });

localStorage.clear(); // Deno keeps localStorage on disk per main module: start every run clean

const exposed: string[] = [];
const client = createClient(options({ storage: new MemoryStorage(), subject: "user-1", onExposure: (e) => exposed.push(e.assignmentId) }));
const evaluations: Array<Pick<Assignment, "subject" | "variant" | "value" | "reason" | "allocation" | "version">> = [];
const ids = new Map<string, string>();

await check("no window; a localStorage global exists (Deno's own)", async () => same([typeof (globalThis as { window?: unknown }).window, typeof localStorage], ["undefined", "object"]));
await check("MemoryStorage: ready() resolves with the verified version from the network", async () => same(await client.ready(), { ok: true, version: 5, source: "network" }));
await check("evaluate: one assignmentId per subject however often it is evaluated", async () => {
  for (let round = 0; round < 3; round++) {
    for (const subject of SUBJECTS) {
      const a = client.evaluate("chat-model", "fallback", { subject });
      if (round === 0) evaluations.push({ subject, variant: a.variant, value: a.value, reason: a.reason, allocation: a.allocation, version: a.version });
      if (ids.has(subject) && ids.get(subject) !== a.assignmentId) return `${subject}: a new assignmentId in round ${round}`;
      ids.set(subject, a.assignmentId);
    }
  }
  return same([client.getBoolean("new-ui", false), client.getString("new-ui", "typed default")], [true, "typed default"]);
});
await check("exposures stay queued until flush(), then arrive once each", async () => {
  const before = (await serverEvents()).length;
  await client.flush();
  const exposures = (await serverEvents()).filter((e) => e.type === "exposure").map((e) => e.assignmentId);
  return same([before, exposures.sort(), exposed.sort()], [0, [...ids.values()].sort(), [...ids.values()].sort()]);
});

await check("default storage is Deno's localStorage: a second client starts from the cache, synchronously", async () => {
  const first = createClient(options({}));
  const state = await first.ready();
  const subject = first.evaluate("chat-model", "x").subject;
  first.close();
  const stored = [localStorage.getItem(`edgeflag:test@${new URL(baseUrl!).host}:minVersion`), localStorage.getItem("edgeflag:anonymous-id")];
  // Pinned keys: with only a jwksUrl, verifying the cache needs the network (the JWKS is not cached).
  const keys = await (await fetch(`${baseUrl}/.well-known/jwks.json`)).json();
  const second = createClient(options({ keys, fetch: () => new Promise<Response>(() => {}) })); // the network never answers
  const a = second.evaluate("chat-model", "x");
  const cached = [a.version, a.reason, a.subject === subject];
  const again = await second.ready();
  second.close();
  return same([state, stored, cached, again], [{ ok: true, version: 5, source: "network" }, ["5", subject], [5, "SPLIT", true], { ok: true, version: 5, source: "cache" }]);
});

await check("a tampered config is refused with SIGNATURE_INVALID; the last good one stays", async () => {
  const errors: string[] = [];
  client.on("error", (e) => errors.push((e as { code: string }).code));
  const before = client.evaluate("chat-model", "fallback", { subject: "user-2" }).value;
  await fetch(`${baseUrl}/__test/tamper`, { method: "POST" }).then((r) => r.body?.cancel());
  await client.refresh();
  return same([errors, client.version, client.evaluate("chat-model", "fallback", { subject: "user-2" }).value], [["SIGNATURE_INVALID"], 5, before]);
});

client.close();
console.log(JSON.stringify({ cases, evaluations }));
