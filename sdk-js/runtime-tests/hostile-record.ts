// Hostile data handed to a client's record(), feedback() and track(), the same in every runtime
// (a Node child process, Deno, workerd, Chromium): a circular object, a BigInt, metadata 10,000
// levels deep, a 100 KB blob, a function and a symbol, between two valid records (and as
// evaluation attributes). `hostileSession`
// runs it on a client; `checkHostile` says what is wrong with the events that arrived and the
// errors heard (null when nothing is). Type-only imports, so Node runs this file as it is.
import type { ClientError, EdgeflagClient } from "../src/index.ts";

export const HOSTILE_SUBJECT = "hostile-host";

/** Runs the hostile calls on `client` (each must return normally) and flushes. */
export async function hostileSession(client: EdgeflagClient): Promise<void> {
  const a = client.evaluate("chat-model", "fallback", { subject: HOSTILE_SUBJECT });
  const loop: Record<string, unknown> = { name: "loop" };
  loop.self = loop;
  let deep: Record<string, unknown> = {};
  for (let i = 0; i < 10_000; i++) deep = { d: deep };
  // Attributes are read, never serialized: hostile ones only have to be harmless.
  client.evaluate("chat-model", "fallback", { subject: HOSTILE_SUBJECT, attributes: { loop, big: BigInt(1), deep } as never });
  a.record({ model: "gpt-4o", usage: { prompt_tokens: 3, completion_tokens: 4 } }, { latencyMs: 5, note: "before" });
  a.record(undefined, { extra: loop });
  a.record(undefined, { tokens: BigInt("12345678901234567890") });
  a.record(undefined, { deep });
  a.record(undefined, { blob: "x".repeat(100_000), latencyMs: 9 });
  a.record(undefined, { fn: () => 1, sym: Symbol("s"), kept: true });
  client.feedback(a, "down", { reason: "formatting", comment: BigInt(7) as never });
  client.track("copied", 1, { subject: HOSTILE_SUBJECT });
  a.record(undefined, { note: "after" });
  // Let the microtasks that used to throw (the queue's storage write) run before the flush.
  await new Promise((ok) => setTimeout(ok, 20));
  await client.flush();
}

/** Container levels of a JSON value, as the Worker counts them (`{}` is 1). */
export function depthOf(v: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[v, 1]];
  while (stack.length > 0) {
    const [x, d] = stack.pop()!;
    if (typeof x !== "object" || x === null) continue;
    max = Math.max(max, d);
    for (const c of Object.values(x)) stack.push([c, d + 1]);
  }
  return max;
}

type Ev = Record<string, unknown>;

/** What is wrong with the delivered events and the errors heard, or null. */
export function checkHostile(events: Ev[], errors: Array<Pick<ClientError, "code" | "message">>): string | null {
  const mine = events.filter((e) => e.subject === HOSTILE_SUBJECT && e.type !== "exposure");
  const shapes = mine.map((e) => (e.type === "execution" ? { type: e.type, metadata: e.metadata ?? null, latencyMs: e.latencyMs ?? null } : e.type === "feedback" ? { type: e.type, comment: e.comment } : { type: e.type, name: e.name }));
  let deep: unknown = { d: {} };
  for (let level = 4; level < 32; level++) deep = { d: deep };
  const expected = [
    { type: "execution", metadata: { note: "before" }, latencyMs: 5 },
    { type: "execution", metadata: { extra: { name: "loop", self: "[Circular]" } }, latencyMs: null },
    { type: "execution", metadata: { tokens: "12345678901234567890" }, latencyMs: null },
    // The event is level 1, metadata 2, "deep" 3: the 32nd level is the last, an empty object.
    { type: "execution", metadata: { deep }, latencyMs: null },
    { type: "execution", metadata: null, latencyMs: 9 },
    { type: "execution", metadata: { kept: true }, latencyMs: null },
    { type: "feedback", comment: "7" },
    { type: "custom", name: "copied" },
    { type: "execution", metadata: { note: "after" }, latencyMs: null },
  ];
  const order = (list: unknown[]) => list.map((x) => JSON.stringify(x)).sort();
  if (JSON.stringify(order(shapes)) !== JSON.stringify(order(expected))) return `events: got ${JSON.stringify(shapes).slice(0, 2000)}`;
  const deepest = Math.max(...mine.map(depthOf));
  if (deepest !== 32) return `the deepest event has ${deepest} levels, not 32`;
  const largest = Math.max(...mine.map((e) => new TextEncoder().encode(JSON.stringify(e)).length));
  if (largest > 16_384) return `an event of ${largest} bytes was sent`;
  const sanitized = errors.filter((e) => e.code === "EVENT_SANITIZED").map((e) => e.message.replace(/^(\w+) event [0-9a-f-]+: /, "$1: "));
  const heard = [
    "execution: /metadata/extra/self (circular)",
    "execution: /metadata/tokens (bigint)",
    `execution: /metadata/deep${"/d".repeat(30)} (too deep)`,
    "execution: /metadata (over 16384 bytes)",
    "execution: /metadata/fn (function), /metadata/sym (symbol)",
    "feedback: /comment (bigint)",
  ];

  return JSON.stringify(sanitized) === JSON.stringify(heard) ? null : `EVENT_SANITIZED errors: got ${JSON.stringify(sanitized)}`;
}
