// The router bench's peer: a Worker that forwards a request to UPSTREAM unchanged and streams the
// answer back, nothing else — what any edge proxy costs on the same wrangler dev, before routing.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    return fetch(new Request(env.UPSTREAM + url.pathname, request));
  },
};
