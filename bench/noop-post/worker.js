// Reads the body (as the events route must) and answers 202: the floor any ingestion route sits on.
export default {
  async fetch(request) {
    await request.arrayBuffer();
    return new Response('{"accepted":0}', { status: 202, headers: { "Content-Type": "application/json" } });
  },
};
