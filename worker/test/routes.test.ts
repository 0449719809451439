// The Worker inside workerd: it imports the core by the SDK's package name and answers with the
// same bucket as every other runtime; a client's mistake is a 400 naming the field, never a 500.
import { exports } from "cloudflare:workers";
import { describe, expect, test } from "vitest";
import { bucket, hashSubject } from "@edgeflag/sdk/core";

const get = (path: string) => exports.default.fetch(new Request(`http://edgeflag.test${path}`));

describe("worker", () => {
  test("GET / says what it is", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: "edgeflag", status: "ok" });
  });

  test("GET /v1/bucket hashes like contract 1", async () => {
    const res = await get(`/v1/bucket?salt=checkout:a1:split&subject=${encodeURIComponent("José 🚀")}`);
    expect(await res.json()).toEqual({ hash: hashSubject("checkout:a1:split", "José 🚀"), bucket: bucket("checkout:a1:split", "José 🚀") });
  });

  test("bad input is a 400 naming the field; an unknown route is a 404", async () => {
    const bad = await get("/v1/bucket?salt=a.b&subject=u");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: "INVALID_SALT", pointer: "/salt", message: "salt must be 1 to 128 of A-Z a-z 0-9 _ : -" } });
    const missing = await get("/v1/bucket?salt=s");
    expect(missing.status).toBe(400);
    expect((await missing.json<{ error: { pointer: string } }>()).error.pointer).toBe("/subject");
    expect((await get("/nope")).status).toBe(404);
  });
});
