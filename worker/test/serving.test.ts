// Serving signed configs: the latest and pinned versions, ETags and 304s, caching headers, CORS,
// and the 4xx answers. Every test publishes into its own env (KV is shared within the file).
import { env } from "cloudflare:workers";
import { describe, expect, test } from "vitest";
import { verifyConfig } from "@edgeflag/sdk/signing";
import { configKey } from "@edgeflag/config-schema/domain";
import { PUBLIC_JWKS, call, errorOf, publish, text, withModel } from "./helpers.ts";

const LATEST_CC = "public, max-age=30, s-maxage=60, stale-while-revalidate=300";
const IMMUTABLE_CC = "public, max-age=31536000, immutable";

describe("GET /v1/configs/:env", () => {
  test("200 with the JWS of the latest version, as application/jose, ETag and Cache-Control", async () => {
    await publish("serve-latest");
    const v2 = await publish("serve-latest", withModel("gpt-4o"));
    expect(v2).toBe(2);
    const res = await call("/v1/configs/serve-latest");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/jose");
    expect(res.headers.get("ETag")).toBe('"2"');
    expect(res.headers.get("Cache-Control")).toBe(LATEST_CC);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(res.headers.get("Access-Control-Expose-Headers")).toBe("ETag");
    const jws = await text(res);
    expect(jws).toBe(await env.FLAGS.get(configKey("serve-latest", 2)));
    const verified = await verifyConfig(jws, { keys: PUBLIC_JWKS, env: "serve-latest" });
    expect(verified.version).toBe(2);
    expect(verified.config.flags["chat-model"]!.variants["gpt-4"]!.value).toBe("gpt-4o");
  });

  test("304 without a body when If-None-Match has the ETag (lists, W/ and *); 200 with a stale ETag", async () => {
    await publish("serve-304");
    for (const inm of ['"1"', 'W/"1"', '"0", "1"', '"9",W/"1"', "*"]) {
      const res = await call("/v1/configs/serve-304", { headers: { "If-None-Match": inm } });
      expect(res.status, inm).toBe(304);
      expect(res.headers.get("ETag")).toBe('"1"');
      expect(res.headers.get("Cache-Control")).toBe(LATEST_CC);
      expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(await res.arrayBuffer()).toHaveProperty("byteLength", 0);
    }
    await publish("serve-304", withModel("gpt-4.1"));
    const stale = await call("/v1/configs/serve-304", { headers: { "If-None-Match": '"1"' } });
    expect(stale.status).toBe(200);
    expect(stale.headers.get("ETag")).toBe('"2"');
    expect((await verifyConfig(await text(stale), { keys: PUBLIC_JWKS, env: "serve-304" })).version).toBe(2);
  });

  test("a publish is served at once: the edge cache is keyed by version, never stale", async () => {
    for (let i = 1; i <= 3; i++) {
      const version = await publish("serve-fresh", withModel(`model-${i}`));
      for (let j = 0; j < 2; j++) {
        const res = await call("/v1/configs/serve-fresh");
        expect(res.headers.get("ETag")).toBe(`"${version}"`);
        const { config } = await verifyConfig(await text(res), { keys: PUBLIC_JWKS, env: "serve-fresh" });
        expect(config.flags["chat-model"]!.variants["gpt-4"]!.value).toBe(`model-${i}`);
      }
    }
  });

  test("a cached version is served from the Cache API, not KV", async () => {
    await publish("serve-cached");
    const first = await text(await call("/v1/configs/serve-cached"));
    // Replace the stored JWS behind the cache's back: the cached copy is what is served.
    await env.FLAGS.put(configKey("serve-cached", 1), "changed-in-kv");
    expect(await text(await call("/v1/configs/serve-cached"))).toBe(first);
    expect(await text(await call("/v1/configs/serve-cached/versions/1"))).toBe(first);
  });

  test("404 ENV_NOT_FOUND for an env with nothing published", async () => {
    const res = await call("/v1/configs/never-published");
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(await errorOf(res)).toEqual({ code: "ENV_NOT_FOUND", message: 'nothing was published for env "never-published"' });
  });

  test("400 naming /env for an env name outside [A-Za-z0-9_-]{1,64}", async () => {
    for (const bad of ["a.b", "a%3Ab", "x".repeat(65), "%E0%A4%A"]) {
      const res = await call(`/v1/configs/${bad}`);
      expect(res.status, bad).toBe(400);
      expect((await errorOf(res)).pointer).toBe("/env");
    }
    expect(await errorOf(await call("/v1/configs/a.b"))).toEqual({ code: "INVALID_ENV", message: "env must be 1 to 64 of A-Z a-z 0-9 _ -", pointer: "/env" });
  });
});

describe("GET /v1/configs/:env/versions/:n", () => {
  test("200 with that exact version, immutable; 304 on its ETag", async () => {
    await publish("serve-pinned", withModel("first"));
    await publish("serve-pinned", withModel("second"));
    const res = await call("/v1/configs/serve-pinned/versions/1");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/jose");
    expect(res.headers.get("ETag")).toBe('"1"');
    expect(res.headers.get("Cache-Control")).toBe(IMMUTABLE_CC);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const { version, config } = await verifyConfig(await text(res), { keys: PUBLIC_JWKS, env: "serve-pinned" });
    expect(version).toBe(1);
    expect(config.flags["chat-model"]!.variants["gpt-4"]!.value).toBe("first");
    const again = await call("/v1/configs/serve-pinned/versions/1", { headers: { "If-None-Match": 'W/"1"' } });
    expect(again.status).toBe(304);
    expect(again.headers.get("ETag")).toBe('"1"');
    expect(again.headers.get("Cache-Control")).toBe(IMMUTABLE_CC);
  });

  test("404 VERSION_NOT_FOUND for a version never published", async () => {
    await publish("serve-missing");
    const res = await call("/v1/configs/serve-missing/versions/2");
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toEqual({ code: "VERSION_NOT_FOUND", message: 'env "serve-missing" has no version 2' });
    expect((await call("/v1/configs/nowhere/versions/1")).status).toBe(404);
  });

  test("400 naming /version when n is not a positive integer", async () => {
    for (const bad of ["0", "-1", "1.5", "01", "abc", "1e3", "99999999999999999"]) {
      const res = await call(`/v1/configs/serve-missing/versions/${bad}`);
      expect(res.status, bad).toBe(400);
      expect(await errorOf(res), bad).toEqual({ code: "INVALID_VERSION", message: "a version is a positive integer", pointer: "/version" });
    }
  });
});

describe("CORS and methods", () => {
  test("OPTIONS preflight allows GET and HEAD with If-None-Match from any origin", async () => {
    for (const path of ["/v1/configs/prod", "/v1/configs/prod/versions/3", "/.well-known/jwks.json"]) {
      const res = await call(path, { method: "OPTIONS", headers: { Origin: "https://app.example", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "if-none-match" } });
      expect(res.status, path).toBe(204);
      expect(Object.fromEntries(res.headers)).toEqual({
        "access-control-allow-origin": "*",
        "access-control-allow-methods": "GET, HEAD, OPTIONS",
        "access-control-allow-headers": "If-None-Match",
        "access-control-expose-headers": "ETag",
        "access-control-max-age": "86400",
      });
    }
  });

  test("405 with Allow for another method; 404 for an unknown path", async () => {
    const res = await call("/v1/configs/prod", { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("GET, HEAD, OPTIONS");
    expect((await errorOf(res)).code).toBe("METHOD_NOT_ALLOWED");
    const missing = await call("/v1/configs/prod/versions");
    expect(missing.status).toBe(404);
    expect(await errorOf(missing)).toEqual({ code: "NOT_FOUND", message: "no route for GET /v1/configs/prod/versions" });
  });
});
