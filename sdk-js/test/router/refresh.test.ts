// How createRouter holds its config: the latest pointer read at most once per refreshEveryMs (one
// small KV read), not on every call; calls that arrive during the first read wait for it (none
// answers 503), but not forever; a KV that fails later leaves the verified config in hand.
// Measured on in-memory KVs, with the fixed provider so no upstream is involved.
import { describe, expect, test } from "vitest";
import { createRouter } from "@edgeflag/sdk/router";
import { signConfig } from "@edgeflag/sdk/signing";
import { exportJWK, generateKeyPair } from "jose";

const config = (answer: string) => ({ flags: { "chat-model": { enabled: true, defaultVariant: "a", variants: { a: { value: { provider: "fixed", answer } } }, allocations: [{ key: "all", log: true, splits: [{ variant: "a", weight: 1 }] }] } } });
const queue = { send: async () => undefined, sendBatch: async () => undefined };

/** A signing key, its public JWK, and KV contents holding version 1 answering "one". */
async function setup() {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const key = { ...(await exportJWK(privateKey)), kid: "k", alg: "ES256" };
  const pub = { ...(await exportJWK(publicKey)), kid: "k", alg: "ES256" };
  const sign = (version: number, answer: string) => signConfig(config(answer) as never, { key: key as never, env: "e", version });
  const data = new Map<string, string>([["config:e:latest", "1"], ["config:e:1", await sign(1, "one")]]);
  const routerOn = (get: (k: string) => Promise<string | null>, now?: () => number) =>
    createRouter({ env: "e", trust: { keys: { keys: [pub] } as never }, kv: { get } as never, queue, secret: () => undefined, upstreams: {}, ...(now ? { now } : {}) });
  return { data, sign, routerOn };
}

const ask = (router: ReturnType<typeof createRouter>, user = "u") =>
  router.fetch(new Request("http://x/v1/chat/completions", { method: "POST", body: JSON.stringify({ model: "chat-model", user, messages: [{ role: "user", content: "hi" }] }) }));
const content = async (res: Response) => ((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content;

describe("createRouter's config", () => {
  test("one latest-pointer read per refreshEveryMs; a new version is served after it", async () => {
    const { data, sign, routerOn } = await setup();
    let pointerReads = 0;
    let clock = 1_000_000;
    const router = routerOn(async (k) => (k.endsWith(":latest") && pointerReads++, data.get(k) ?? null), () => clock);
    expect(await content(await ask(router))).toBe("one");
    const afterFirst = pointerReads;
    for (let i = 0; i < 5; i++) expect(await content(await ask(router))).toBe("one");
    expect(pointerReads).toBe(afterFirst); // within 1000 ms: no read
    data.set("config:e:2", await sign(2, "two"));
    data.set("config:e:latest", "2");
    clock += 999;
    expect(await content(await ask(router))).toBe("one");
    clock += 1;
    expect(await content(await ask(router))).toBe("two");
    expect(pointerReads).toBe(afterFirst + 1);
  });

  test("calls that come while the first config read is in flight wait for it: none answers 503 config_unavailable", async () => {
    const { data, routerOn } = await setup();
    // KV as it is at a cold edge: each read takes 20 ms.
    const router = routerOn(async (k) => (await new Promise((r) => setTimeout(r, 20)), data.get(k) ?? null));
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => ask(router, `u${i}`)));
    expect(answers.map((r) => r.status)).toEqual(Array.from({ length: 10 }, () => 200));
  });

  test("a first read that never settles (its request went away) holds the others 5 s at most, then they read themselves", async () => {
    const { data, routerOn } = await setup();
    let reads = 0;
    const router = routerOn(async (k) => (reads++ === 0 ? new Promise<never>(() => undefined) : (data.get(k) ?? null)));
    void ask(router, "first"); // its KV read hangs
    const t0 = performance.now();
    const res = await ask(router, "second");
    expect(res.status).toBe(200);
    expect(await content(res)).toBe("one");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(4900);
  });

  test("a KV that fails after the first read: calls keep the verified config in hand, never a 500", async () => {
    const { data, routerOn } = await setup();
    let down = false;
    let clock = 1_000_000;
    const router = routerOn(async (k) => {
      if (down) throw new Error("KV GET failed: 500 Internal Server Error");
      return data.get(k) ?? null;
    }, () => clock);
    expect((await ask(router)).status).toBe(200);
    down = true;
    clock += 5000;
    const res = await ask(router);
    expect(res.status).toBe(200);
    expect(await content(res)).toBe("one");
  });
});
