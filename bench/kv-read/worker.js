// A trivial KV-read Worker: the ceiling the config route is measured against.
export default {
  async fetch(request, env) {
    const body = await env.FLAGS.get(new URL(request.url).searchParams.get("key") ?? "");
    return body === null ? new Response("not found", { status: 404 }) : new Response(body, { headers: { "content-type": "application/jose" } });
  },
};
