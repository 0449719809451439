/**
 * Reading a request body up to a limit, counted as the bytes stream in: a chunked body with no
 * (or a false) Content-Length is cut off at the limit, never buffered whole. The router's chat
 * requests and the Worker's own bodies (events, admin) read through it.
 *
 * @module
 */

/**
 * At most `maxBytes` of the body; `tooLarge()` is thrown past them (the caller's error shape).
 *
 * @example
 * const bytes = await readLimitedBody(request, 1 << 20, () => new RangeError("too large"));
 */
export async function readLimitedBody(request: Request, maxBytes: number, tooLarge: () => Error): Promise<Uint8Array> {
  if (Number(request.headers.get("Content-Length") ?? 0) > maxBytes) throw tooLarge();
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    size += r.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(r.value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
