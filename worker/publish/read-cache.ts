// The Cache API in front of the public thread reads: a hit costs no KV read at all. The cache is per data centre,
// so moderation purges the copy where the moderator's request lands and a short max-age bounds the rest
// (https://developers.cloudflare.com/workers/runtime-apis/cache/). Any cache failure falls back to KV.
// Browsers get `no-cache`: they ask every time (the edge copy makes that cheap), so a reader who reloads after an
// approval sees it rather than a copy from their own cache.
export const EDGE_MAX_AGE_SECONDS = 30;
const EDGE_HEADERS = { "content-type": "application/json", "cache-control": `public, max-age=${EDGE_MAX_AGE_SECONDS}` };
const CLIENT_HEADERS = { "content-type": "application/json", "cache-control": "no-cache" };

/** The cache key of a post's thread, on the worker's own origin. */
export function threadCacheKey(requestUrl: string, post: string): Request {
  const url = new URL("/api/comments", requestUrl);
  url.searchParams.set("post", post);
  return new Request(url);
}

/** A public JSON response (not cached by browsers). */
export function publicJson(value: unknown): Response {
  return new Response(JSON.stringify(value), { headers: CLIENT_HEADERS });
}

/**
 * Answers from the edge cache, or builds the body with `load`, stores a copy (via `defer`) and returns it.
 * The returned response is always a fresh, mutable one, so middleware can add CORS headers.
 */
export async function fromCache(key: Request, load: () => Promise<unknown>, defer: (task: () => Promise<unknown>) => void): Promise<Response> {
  const cached = await caches.default.match(key).catch(() => undefined);
  if (cached) return new Response(cached.body, { headers: CLIENT_HEADERS });
  const body = JSON.stringify(await load());
  defer(() => caches.default.put(key, new Response(body, { headers: EDGE_HEADERS })));
  return new Response(body, { headers: CLIENT_HEADERS });
}

/** The cache key of every thread at once (`GET /api/comments/all`, the site build's source). */
export function allThreadsCacheKey(requestUrl: string): Request {
  return new Request(new URL("/api/comments/all", requestUrl));
}

/** Drops the cached copies of a post's thread, and of every thread at once, in this data centre. */
export async function purgeThread(requestUrl: string, post: string): Promise<void> {
  await caches.default.delete(threadCacheKey(requestUrl, post)).catch(() => false);
  await caches.default.delete(allThreadsCacheKey(requestUrl)).catch(() => false);
}
