/**
 * The edgeflag Worker. Routes only; later issues add config serving, events, results, routing.
 * For now it answers what it is and evaluates through the SDK's core, imported by package name.
 *
 * @module
 */
import { bucket, hashSubject } from "@edgeflag/sdk/core";

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body, null, 2), { status, headers: { "content-type": "application/json; charset=utf-8" } });

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/") {
      return json({ name: "edgeflag", status: "ok", routes: ["GET /v1/bucket?salt=S&subject=K"] });
    }
    if (url.pathname === "/v1/bucket" && request.method === "GET") {
      const salt = url.searchParams.get("salt");
      const subject = url.searchParams.get("subject");
      if (salt === null || !/^[A-Za-z0-9_:-]{1,128}$/.test(salt)) {
        return json({ error: { pointer: "/salt", message: "salt must be 1 to 128 of A-Z a-z 0-9 _ : -" } }, 400);
      }
      if (subject === null) return json({ error: { pointer: "/subject", message: "subject is required" } }, 400);
      return json({ hash: hashSubject(salt, subject), bucket: bucket(salt, subject) });
    }
    return json({ error: { message: `no route for ${request.method} ${url.pathname}` } }, 404);
  },
} satisfies ExportedHandler<Env>;
