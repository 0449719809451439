/**
 * A request with a deadline: the signal aborts fetches that honour it, and the race settles
 * even with a custom `fetch` that ignores signals, so nothing in the client can hang.
 *
 * @module
 */

export function fetchWithin(fetcher: typeof fetch, ms: number, url: string, init: RequestInit = {}): Promise<Response> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    (timer as { unref?: () => void }).unref?.();
  });
  const request = (async () => fetcher(url, { ...init, signal: AbortSignal.timeout(ms) }))();
  return Promise.race([request, deadline]).finally(() => {
    if (timer !== undefined) clearTimeout(timer);
  });
}
