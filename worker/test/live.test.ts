// Live push inside workerd: GET /v1/configs/:env/live upgrades to a WebSocket the env's
// ConfigWriter holds; a new socket hears the latest version at once, and every version the writer
// stores (publish, rollback, kill switch, renewal) is pushed; anything but a ping closes the
// socket; the cap answers 503; a GET without an upgrade and every HEAD answer 426.
import { env } from "cloudflare:workers";
import { createScheduledController, runInDurableObject } from "cloudflare:test";
import { describe, expect, test } from "vitest";
import worker from "../src/index.ts";
import { LiveSockets, MAX_LIVE_CONNECTIONS, versionMessage } from "../src/services/live-sockets.ts";
import { admin, call, errorOf, publish } from "./helpers.ts";

interface Socket {
  ws: WebSocket;
  /** The next message (rejects after `ms`). */
  next(ms?: number): Promise<string>;
  /** Resolves with the close code once the server closed. */
  closed: Promise<number>;
}

/** Connects as a client would and collects what the server sends. */
async function connect(name: string): Promise<Socket> {
  const res = await call(`/v1/configs/${name}/live`, { headers: { Upgrade: "websocket" } });
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  const inbox: string[] = [];
  const waiting: Array<(m: string) => void> = [];
  ws.addEventListener("message", (e) => {
    const m = String(e.data);
    const w = waiting.shift();
    if (w) w(m);
    else inbox.push(m);
  });
  const closed = new Promise<number>((resolve) => ws.addEventListener("close", (e) => resolve(e.code)));
  ws.accept();
  const next = (ms = 2000) => {
    const m = inbox.shift();
    if (m !== undefined) return Promise.resolve(m);
    return new Promise<string>((resolve, reject) => {
      const take = (message: string) => (clearTimeout(timer), resolve(message));
      const timer = setTimeout(() => (waiting.splice(waiting.indexOf(take), 1), reject(new Error(`no message within ${ms} ms`))), ms);
      waiting.push(take);
    });
  };
  return { ws, next, closed };
}

const version = (name: string, n: number) => versionMessage(name, n);

describe("GET /v1/configs/:env/live", () => {
  test("a new socket hears the latest version at once, then every publish, rollback and kill switch", async () => {
    const name = "live-pushes";
    await publish(name);
    await publish(name);
    const a = await connect(name);
    expect(await a.next()).toBe('{"type":"version","env":"live-pushes","version":2}');
    const b = await connect(name);
    expect(await b.next()).toBe(version(name, 2));
    expect(await publish(name)).toBe(3);
    expect([await a.next(), await b.next()]).toEqual([version(name, 3), version(name, 3)]);
    expect((await admin(`/configs/${name}/rollback`, { to: 1 })).status).toBe(201);
    expect([await a.next(), await b.next()]).toEqual([version(name, 4), version(name, 4)]);
    expect((await admin(`/configs/${name}/kill`, { flag: "chat-model", variant: "fixed" })).status).toBe(201);
    expect([await a.next(), await b.next()]).toEqual([version(name, 5), version(name, 5)]);
    a.ws.close(1000, "done");
    b.ws.close(1000, "done");
  });

  test("an env with nothing published says nothing until its first version; other envs' versions never reach it", async () => {
    const quiet = await connect("live-empty");
    await publish("live-elsewhere");
    await expect(quiet.next(300)).rejects.toThrow("no message within 300 ms");
    await publish("live-empty");
    expect(await quiet.next()).toBe(version("live-empty", 1));
    quiet.ws.close(1000, "done");
  });

  test("a renewal by the cron is pushed like any change", async () => {
    const name = "live-renew";
    await publish(name);
    const s = await connect(name);
    expect(await s.next()).toBe(version(name, 1));
    // 25 days on, the 30-day config is within the week before expiry: the hourly cron renews it.
    await worker.scheduled(createScheduledController({ cron: "17 * * * *", scheduledTime: Date.now() + 25 * 86_400_000 }), env, {} as ExecutionContext);
    expect(await s.next()).toBe(version(name, 2));
    s.ws.close(1000, "done");
  });

  test("ping is answered pong; any other message closes the socket with 1008 and is never read", async () => {
    const name = "live-ping";
    await publish(name);
    const s = await connect(name);
    expect(await s.next()).toBe(version(name, 1));
    s.ws.send("ping");
    expect(await s.next()).toBe("pong");
    s.ws.send('{"type":"version","env":"live-ping","version":99}');
    expect(await s.closed).toBe(1008);
    // Nothing the client sent was taken as a version: the env is still at 1.
    const fresh = await connect(name);
    expect(await fresh.next()).toBe(version(name, 1));
    fresh.ws.close(1000, "done");
  });

  test("without an upgrade: GET and HEAD are 426 with Upgrade: websocket (HEAD without the body); POST 405; a bad env 400", async () => {
    const get = await call("/v1/configs/live-plain/live");
    expect([get.status, get.headers.get("Upgrade"), get.headers.get("Access-Control-Allow-Origin")]).toEqual([426, "websocket", "*"]);
    expect(await errorOf(get)).toEqual({ code: "UPGRADE_REQUIRED", message: 'connect with a WebSocket (Upgrade: websocket) to hear of new versions of "live-plain"; GET /v1/configs/live-plain reads the latest' });
    // (A HEAD or POST with Upgrade: websocket reaches the Worker as a GET: workerd makes every upgrade a GET.)
    const head = await call("/v1/configs/live-plain/live", { method: "HEAD" });
    expect([head.status, head.headers.get("Upgrade"), head.body]).toEqual([426, "websocket", null]);
    const post = await call("/v1/configs/live-plain/live", { method: "POST" });
    expect([post.status, post.headers.get("Allow")]).toEqual([405, "GET, HEAD, OPTIONS"]);
    const bad = await call("/v1/configs/no%20spaces/live", { headers: { Upgrade: "websocket" } });
    expect([bad.status, await errorOf(bad)]).toEqual([400, { code: "INVALID_ENV", message: "env must be 1 to 64 of A-Z a-z 0-9 _ -", pointer: "/env" }]);
  });
});

describe("the connection cap", () => {
  test(`${MAX_LIVE_CONNECTIONS} per env by default; past the cap a connect is 503 LIVE_FULL, and a closed socket frees its place`, async () => {
    const stub = env.CONFIG_WRITER.get(env.CONFIG_WRITER.idFromName("live-cap"));
    const answers = await runInDurableObject(stub, async (_instance, state) => {
      const live = new LiveSockets(state, 2);
      const statuses: number[] = [];
      const sockets: WebSocket[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await live.accept("live-cap", async () => 4);
        statuses.push(res.status);
        if (res.webSocket) sockets.push(res.webSocket);
      }
      const full = await live.accept("live-cap", async () => 4);
      const body = await full.json();
      const retryAfter = full.headers.get("Retry-After");
      // A client leaves (the object's webSocketClose closes its side): a place is free again.
      sockets[0]!.accept();
      sockets[0]!.close(1000, "bye");
      for (let i = 0; i < 50 && live.count > 1; i++) await new Promise((r) => setTimeout(r, 10));
      const again = await live.accept("live-cap", async () => 4);
      return { statuses, body, retryAfter, count: live.count, again: again.status, clients: sockets.length };
    });
    expect(answers).toEqual({
      statuses: [101, 101, 503],
      body: { error: { code: "LIVE_FULL", message: "this env has 2 live connections already; poll GET /v1/configs/live-cap instead" } },
      retryAfter: "60",
      count: 2,
      again: 101,
      clients: 2,
    });
  });
});
