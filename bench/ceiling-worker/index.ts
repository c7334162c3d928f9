// The ceiling of the API benchmark (bench/api-throughput.ts): a worker in the same runtime (workerd under `wrangler
// dev`) that answers the comment API's paths with the very bytes the real worker sent, from memory: no routing library,
// no validation, no KV, no cache. Nothing can be faster on this machine, so the real worker is reported as a ratio
// to it. bench/ceiling-worker/start.ts copies this folder and writes bodies.json with the real responses.
//
// `/with-cache/api/comments` answers the same bytes through the Cache API exactly as worker/publish/read-cache.ts does
// (match, else put after the response): the ceiling plus the platform's cache lookup, so the benchmark can tell
// the cost of the runtime's cache from the cost of the app's own code.
import bodies from "./bodies.json" with { type: "json" };

const JSON_HEADERS = { "content-type": "application/json", "cache-control": "no-cache" };

interface Context {
  waitUntil(promise: Promise<unknown>): void;
}

/** The part of the Workers Cache API used here (Node's types, which check this folder, have none). */
interface EdgeCache {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
}

/** `caches.default`: the Workers runtime's shared cache. */
function defaultCache(): EdgeCache {
  return (globalThis as unknown as { caches: { default: EdgeCache } }).caches.default;
}

async function fromCache(url: URL, ctx: Context): Promise<Response> {
  const key = new Request(new URL("/api/comments?post=ceiling", url));
  const cached = await defaultCache().match(key);
  if (cached) return new Response(cached.body, { headers: JSON_HEADERS });
  ctx.waitUntil(defaultCache().put(key, new Response(bodies.thread, { headers: { "content-type": "application/json", "cache-control": "public, max-age=30" } })));
  return new Response(bodies.thread, { headers: JSON_HEADERS });
}

export default {
  async fetch(request: Request, _env: unknown, ctx: Context): Promise<Response> {
    const url = new URL(request.url);
    const { pathname } = url;
    if (request.method === "POST" && pathname === "/api/comments") {
      // Read the submission, as the real worker must, before answering.
      await request.arrayBuffer();
      return new Response(bodies.submitted, { status: 202, headers: JSON_HEADERS });
    }
    if (pathname === "/api/comments") return new Response(bodies.thread, { headers: JSON_HEADERS });
    if (pathname === "/with-cache/api/comments") return fromCache(url, ctx);
    if (pathname === "/api/comments/counts") return new Response(bodies.counts, { headers: JSON_HEADERS });
    if (pathname === "/api/health") return new Response('{"ok":true}', { headers: JSON_HEADERS });
    return new Response("Not found", { status: 404 });
  },
};
