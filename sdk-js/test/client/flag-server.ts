// A real HTTP server on 127.0.0.1 that speaks the Worker's config, JWKS and events routes, so the
// client is tested over the network (from Node, Deno, workerd and the examples): signed configs
// with ETags, events recorded, failures on demand. Two test-only routes let a client in another
// process drive it: POST /__test/tamper and GET /__test/events.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { CompactSign, importJWK } from "jose";
import { signConfig, publicJwk, type JWK } from "../../src/signing/index.ts";
import type { FlagConfig } from "@edgeflag/config-schema";
import { afterEach, beforeEach } from "vitest";
import { createClient, type ClientOptions, type EdgeflagClient } from "../../src/index.ts";

const keys = JSON.parse(readFileSync(new URL("../../../config-schema/vectors/test-signing-keys.json", import.meta.url), "utf8"));
export const privateKey: JWK = keys.es256;
export const trusted = { keys: [await publicJwk(keys.es256)] };

export const demoConfig = (value = "gpt-4"): FlagConfig => ({
  flags: {
    "chat-model": {
      enabled: true, defaultVariant: "small",
      variants: { small: { value: "gpt-4o-mini" }, large: { value } },
      allocations: [{ key: "exp", splits: [{ variant: "small", weight: 1 }, { variant: "large", weight: 1 }], log: true }],
    },
    "new-ui": { enabled: true, defaultVariant: "off", variants: { off: { value: false }, on: { value: true } }, allocations: [{ key: "all", splits: [{ variant: "on", weight: 1 }] }] },
  },
});

export const sign = (config: FlagConfig, version: number, env = "test") => signConfig(config, { key: privateKey, env, version });

/** Signs a payload as it is, without the schema check signConfig runs: what a buggy signer could serve. */
export async function signUnchecked(content: object, version: number, env = "test"): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  const payload = { ...content, env, version, iat, exp: iat + 86_400 };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: "ES256", kid: trusted.keys[0]!.kid!, typ: "edgeflag-config+jws" })
    .sign(await importJWK(privateKey, "ES256"));
}

export class FlagServer {
  /** The env served at /v1/configs/:env and signed into published configs. */
  readonly env: string;
  jws = "";
  version = 0;
  events: Array<Record<string, unknown>> = [];
  posts: Array<{ contentType: string | undefined; count: number; resent?: true }> = [];
  configRequests: Array<string | undefined> = [];
  /** Answer the next N event posts with this status. */
  failNext = 0;
  failStatus = 503;
  /** Batches with more events than this are answered 413. */
  maxBatch = Infinity;
  #server: Server = createServer((req, res) => void this.#handle(req, res));
  url = "";

  constructor(options: { env?: string } = {}) {
    this.env = options.env ?? "test";
  }

  async start(): Promise<this> {
    await new Promise<void>((ok) => this.#server.listen(0, "127.0.0.1", ok));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }
  async publish(config: FlagConfig, version: number): Promise<void> {
    this.jws = await sign(config, version, this.env);
    this.version = version;
  }
  /** Serves `config` as `version` under the signature of the config served now: a forgery. */
  async tamper(config: FlagConfig = demoConfig("evil"), version = this.version + 1): Promise<void> {
    const [h, p] = (await sign(config, version, this.env)).split(".");
    this.jws = `${h}.${p}.${this.jws.split(".")[2]}`;
    this.version = version;
  }
  stop(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((ok) => this.#server.close(() => ok()));
  }

  async #handle(req: IncomingMessage, res: import("node:http").ServerResponse): Promise<void> {
    if (req.method === "GET" && req.url === `/v1/configs/${encodeURIComponent(this.env)}`) {
      this.configRequests.push(req.headers["if-none-match"]);
      if (!this.jws) return void res.writeHead(404).end("{}");
      if (req.headers["if-none-match"] === `"${this.version}"`) return void res.writeHead(304, { etag: `"${this.version}"` }).end();
      return void res.writeHead(200, { "content-type": "application/jose", etag: `"${this.version}"` }).end(this.jws);
    }
    if (req.method === "POST" && req.url?.split("?")[0] === "/v1/events") {
      let body = "";
      for await (const chunk of req) body += chunk;
      if (this.failNext > 0) {
        this.failNext--;
        return void res.writeHead(this.failStatus, { "retry-after": "0" }).end();
      }
      const batch = JSON.parse(body) as Array<Record<string, unknown>>;
      if (batch.length > this.maxBatch) return void res.writeHead(413, { "content-type": "application/json" }).end('{"error":{"code":"TOO_MANY_EVENTS"}}');
      const seen = new Set(this.events.map((e) => e.id));
      const fresh = batch.filter((e) => !seen.has(e.id));
      this.events.push(...fresh);
      this.posts.push({ contentType: req.headers["content-type"], count: batch.length, ...(req.url!.endsWith("?resent=1") ? { resent: true as const } : {}) });
      return void res.writeHead(202, { "content-type": "application/json" }).end(JSON.stringify({ accepted: fresh.length, duplicates: batch.length - fresh.length, rejected: [] }));
    }
    if (req.method === "GET" && req.url === "/.well-known/jwks.json") {
      return void res.writeHead(200, { "content-type": "application/jwk-set+json" }).end(JSON.stringify(trusted));
    }
    if (req.method === "POST" && req.url === "/__test/tamper") {
      await this.tamper();
      return void res.writeHead(204).end();
    }
    if (req.method === "GET" && req.url === "/__test/events") {
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(this.events));
    }
    res.writeHead(404).end();
  }
}

export const until = async (check: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
};

/**
 * A server with demo config version 5 before each test, and `make()` for clients pointed at it
 * (closed after each test): the setup every client test file shares.
 */
export function useFlagServer(): { server: () => FlagServer; make: (options?: Partial<ClientOptions>) => EdgeflagClient } {
  let server: FlagServer;
  const clients: EdgeflagClient[] = [];
  beforeEach(async () => {
    server = await new FlagServer().start();
    await server.publish(demoConfig(), 5);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server.stop();
  });
  const make = (options: Partial<ClientOptions> = {}) => {
    const c = createClient({ baseUrl: server.url, env: "test", keys: trusted, pollIntervalMs: 0, flushIntervalMs: 50, subject: "user-1", ...options });
    clients.push(c);
    return c;
  };
  return { server: () => server, make };
}
