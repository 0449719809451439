// createRouter reads the config's latest pointer at most once per refreshEveryMs (one small KV
// read), not on every call, and picks up a new version after that: measured on an in-memory KV
// that counts its reads, with the fixed provider so no upstream is involved.
import { describe, expect, test } from "vitest";
import { createRouter } from "@edgeflag/sdk/router";
import { signConfig } from "@edgeflag/sdk/signing";
import { exportJWK, generateKeyPair } from "jose";

const config = (answer: string) => ({ flags: { "chat-model": { enabled: true, defaultVariant: "a", variants: { a: { value: { provider: "fixed", answer } } }, allocations: [{ key: "all", log: true, splits: [{ variant: "a", weight: 1 }] }] } } });

describe("createRouter's config refresh", () => {
  test("one latest-pointer read per refreshEveryMs; a new version is served after it", async () => {
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    const key = { ...(await exportJWK(privateKey)), kid: "k", alg: "ES256" };
    const pub = { ...(await exportJWK(publicKey)), kid: "k", alg: "ES256" };
    const data = new Map<string, string>([["config:e:latest", "1"], ["config:e:1", await signConfig(config("one") as never, { key: key as never, env: "e", version: 1 })]]);
    let pointerReads = 0;
    const kv = { get: async (k: string) => (k.endsWith(":latest") && pointerReads++, data.get(k) ?? null) };
    const queue = { send: async () => undefined, sendBatch: async () => undefined };
    let clock = 1_000_000;
    const router = createRouter({ env: "e", trust: { keys: { keys: [pub] } as never }, kv: kv as never, queue, secret: () => undefined, upstreams: {}, now: () => clock });
    const ask = async () => {
      const r = await router.fetch(new Request("http://x/v1/chat/completions", { method: "POST", body: JSON.stringify({ model: "chat-model", user: "u", messages: [{ role: "user", content: "hi" }] }) }));
      return ((await r.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content;
    };
    expect(await ask()).toBe("one");
    const afterFirst = pointerReads;
    for (let i = 0; i < 5; i++) expect(await ask()).toBe("one");
    expect(pointerReads).toBe(afterFirst); // within 1000 ms: no read
    data.set("config:e:2", await signConfig(config("two") as never, { key: key as never, env: "e", version: 2 }));
    data.set("config:e:latest", "2");
    clock += 999;
    expect(await ask()).toBe("one");
    clock += 1;
    expect(await ask()).toBe("two");
    expect(pointerReads).toBe(afterFirst + 1);
  });

  test("calls that come while the first config read is in flight wait for it: none answers 503 config_unavailable", async () => {
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    const key = { ...(await exportJWK(privateKey)), kid: "k", alg: "ES256" };
    const pub = { ...(await exportJWK(publicKey)), kid: "k", alg: "ES256" };
    const data = new Map<string, string>([["config:e:latest", "1"], ["config:e:1", await signConfig(config("one") as never, { key: key as never, env: "e", version: 1 })]]);
    // KV as it is at a cold edge: each read takes 20 ms.
    const kv = { get: async (k: string) => (await new Promise((r) => setTimeout(r, 20)), data.get(k) ?? null) };
    const queue = { send: async () => undefined, sendBatch: async () => undefined };
    const router = createRouter({ env: "e", trust: { keys: { keys: [pub] } as never }, kv: kv as never, queue, secret: () => undefined, upstreams: {} });
    const ask = (user: string) => router.fetch(new Request("http://x/v1/chat/completions", { method: "POST", body: JSON.stringify({ model: "chat-model", user, messages: [{ role: "user", content: "hi" }] }) }));
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => ask(`u${i}`)));
    expect(answers.map((r) => r.status)).toEqual(Array.from({ length: 10 }, () => 200));
  });

  test("a KV that fails after the first read: calls keep the verified config in hand, never a 500", async () => {
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    const key = { ...(await exportJWK(privateKey)), kid: "k", alg: "ES256" };
    const pub = { ...(await exportJWK(publicKey)), kid: "k", alg: "ES256" };
    const data = new Map<string, string>([["config:e:latest", "1"], ["config:e:1", await signConfig(config("one") as never, { key: key as never, env: "e", version: 1 })]]);
    let down = false;
    const kv = { get: async (k: string) => { if (down) throw new Error("KV GET failed: 500 Internal Server Error"); return data.get(k) ?? null; } };
    const queue = { send: async () => undefined, sendBatch: async () => undefined };
    let clock = 1_000_000;
    const router = createRouter({ env: "e", trust: { keys: { keys: [pub] } as never }, kv: kv as never, queue, secret: () => undefined, upstreams: {}, now: () => clock });
    const ask = () => router.fetch(new Request("http://x/v1/chat/completions", { method: "POST", body: JSON.stringify({ model: "chat-model", user: "u", messages: [{ role: "user", content: "hi" }] }) }));
    expect((await ask()).status).toBe(200);
    down = true;
    clock += 5000;
    const res = await ask();
    expect(res.status).toBe(200);
    expect(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toBe("one");
  });
});
