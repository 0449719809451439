// A tiny HTTP proxy in front of the Worker that can slow down or tamper with GET /v1/configs/*, or
// answer configs and the key set with documents of its own (a host that forges both); everything
// else passes through untouched.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ConfigProxy {
  url: string;
  /** Milliseconds each config response is held back. */
  delayMs: number;
  /** When true, config responses carry a JWS with one character of its payload changed. */
  tamper: boolean;
  /** When set, every config request is answered 200 with this JWS, and … */
  forgedConfig: string | null;
  /** … every key-set request with this one. */
  forgedKeySet: string | null;
  /** Config requests seen, with when they were answered (Date.now()) and how. */
  configRequests: Array<{ receivedAt: number; answeredAt: number | null; status: number | null; tampered: boolean }>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "host"]);

/**
 * Changes one character of the JWS payload: "gpt-3.5-turbo" becomes "gpt-4.5-turbo". The payload
 * stays valid base64url and valid JSON, so only the signature can tell.
 */
export function tamperJws(jws: string): string {
  const [header, payload, signature] = jws.trim().split(".");
  const text = Buffer.from(payload!, "base64url").toString("utf8");
  const changed = text.replace("gpt-3.5", "gpt-4.5");
  if (changed === text) throw new Error("tamperJws: no \"gpt-3.5\" in the payload to change");
  return `${header}.${Buffer.from(changed, "utf8").toString("base64url")}.${signature}`;
}

/** Starts the proxy on a free 127.0.0.1 port, forwarding to `target` (e.g. the Worker's URL). */
export async function startConfigProxy(target: string): Promise<ConfigProxy> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const forged = req.method === "GET" && (req.url === "/.well-known/edgeflag-keys.jws" ? proxy.forgedKeySet : (req.url ?? "").startsWith("/v1/configs/") ? proxy.forgedConfig : null);
    if (forged) return void res.writeHead(200, { "content-type": "application/jose", "access-control-allow-origin": "*" }).end(forged);
    const isConfig = req.method === "GET" && (req.url ?? "").startsWith("/v1/configs/");
    const record = isConfig ? { receivedAt: Date.now(), answeredAt: null as number | null, status: null as number | null, tampered: false } : null;
    if (record) proxy.configRequests.push(record);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string" && !HOP_BY_HOP.has(name)) headers.set(name, value);
    // A tampered answer needs a 200 to tamper with, not a 304.
    if (isConfig && proxy.tamper) headers.delete("if-none-match");
    let body: Uint8Array<ArrayBuffer> | undefined;
    if (req.method !== "GET" && req.method !== "HEAD") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      body = new Uint8Array(Buffer.concat(chunks));
    }
    const upstream = await fetch(new URL(req.url ?? "/", target), { method: req.method, headers, body, redirect: "manual" });
    let out = Buffer.from(await upstream.arrayBuffer());
    if (record && proxy.tamper && upstream.status === 200) {
      out = Buffer.from(tamperJws(out.toString("utf8")));
      record.tampered = true;
    }
    if (record && proxy.delayMs > 0) await new Promise((ok) => setTimeout(ok, proxy.delayMs));
    const outHeaders: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name)) outHeaders[name] = value;
    });
    res.writeHead(upstream.status, { ...outHeaders, "content-length": String(out.length) }).end(out);
    if (record) Object.assign(record, { answeredAt: Date.now(), status: upstream.status });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((e) => res.writeHead(502).end(String(e)));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const proxy: ConfigProxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    delayMs: 0,
    tamper: false,
    forgedConfig: null,
    forgedKeySet: null,
    configRequests: [],
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
  return proxy;
}
