// What each kind of request costs in Workers KV operations (issue 7, "KV operations and cost"). KV bills per
// operation, so these counts are the service's running cost: docs/cost.md turns them into dollars, and
// `npm run bench` reads the `kv-ops` lines this file prints. The counts are deterministic, so they are asserted
// exactly: a change that adds a KV call to a path fails here and must update docs/cost.md.
// A bulk get (up to 100 keys) is one call; `keysRead` also counts its keys, because Cloudflare's pricing page
// does not say whether a bulk read bills as one read or one per key (docs/cost.md assumes per key).
import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, reset, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../worker/index.ts";
import { listPosts } from "../../worker/posts.ts";
import { admin, call, createApproved, createPending, OTHER_POST, POST, submit, validComment } from "./helpers.ts";

afterEach(() => {
  vi.restoreAllMocks();
  return reset();
});

interface KvOps {
  get: number;
  keysRead: number;
  put: number;
  delete: number;
  list: number;
  written: string[];
}

/** A KV binding that counts every call (and every key a bulk get reads) and records the keys written. */
function countingKv(ns: KVNamespace = env.COMMENTS): { ns: KVNamespace; ops: KvOps } {
  const ops: KvOps = { get: 0, keysRead: 0, put: 0, delete: 0, list: 0, written: [] };
  const wrapped = new Proxy(ns, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (prop === "get" || prop === "getWithMetadata") {
          ops.get++;
          ops.keysRead += Array.isArray(args[0]) ? args[0].length : 1;
        } else if (prop === "put" || prop === "delete") {
          ops[prop]++;
          ops.written.push(String(args[0]));
        } else if (prop === "list") {
          ops.list++;
        }
        return value.apply(target, args);
      };
    },
  });
  return { ns: wrapped, ops };
}

/** Prints the counts for `npm run bench` (bench/kv-cost.ts parses these lines). */
function report(request: string, ops: KvOps): void {
  const { written: _written, ...counts } = ops;
  console.log(`kv-ops ${JSON.stringify({ request, ...counts })}`);
}

/** A request host no earlier request used, so the edge cache (keyed by URL) cannot answer it. */
const freshHost = () => `https://uncached-${crypto.randomUUID()}.example`;

const POSTS = listPosts().length;
/** Where the worker asks for a static rebuild after a moderation action (optional in production). */
const DEPLOY_HOOK = { DEPLOY_HOOK_URL: "https://deploy-hook.example/build" };

describe("KV operations of the public API", () => {
  it("reads one key and writes nothing for a thread the edge cache does not hold", async () => {
    await createApproved();
    const { ns, ops } = countingKv();
    expect((await call(`/api/comments?post=${POST}`, {}, { COMMENTS: ns }, freshHost())).status).toBe(200);
    report("GET /api/comments (uncached)", ops);
    expect(ops).toEqual({ get: 1, keysRead: 1, put: 0, delete: 0, list: 0, written: [] });
  });

  it("touches KV not at all for a thread the edge cache holds", async () => {
    await createApproved();
    const host = freshHost();
    await call(`/api/comments?post=${POST}`, {}, {}, host);
    const { ns, ops } = countingKv();
    expect((await call(`/api/comments?post=${POST}`, {}, { COMMENTS: ns }, host)).status).toBe(200);
    report("GET /api/comments (cached)", ops);
    expect(ops).toEqual({ get: 0, keysRead: 0, put: 0, delete: 0, list: 0, written: [] });
  });

  it("reads one key for the counts of ten posts, known or not", async () => {
    await createApproved();
    const slugs = [POST, OTHER_POST, ...Array.from({ length: 8 }, (_, i) => `unknown-post-${i}`)];
    const { ns, ops } = countingKv();
    const response = await call(`/api/comments/counts?${slugs.map((s) => `post=${s}`).join("&")}`, {}, { COMMENTS: ns });
    expect(response.status).toBe(200);
    report("GET /api/comments/counts (10 posts)", ops);
    expect(ops).toEqual({ get: 1, keysRead: 1, put: 0, delete: 0, list: 0, written: [] });
  });

  it("writes only the new comment's own key for a submission, and reads nothing", async () => {
    const { ns, ops } = countingKv();
    const response = await submit(validComment(), { vars: { COMMENTS: ns } });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    report("POST /api/comments", ops);
    expect(ops).toEqual({ get: 0, keysRead: 0, put: 1, delete: 0, list: 0, written: [`v1:comment:${id}`] });
  });

  it("reads every post's thread in one bulk get per 100 posts for the site build", async () => {
    await createApproved();
    const { ns, ops } = countingKv();
    expect((await call("/api/comments/all", {}, { COMMENTS: ns })).status).toBe(200);
    report("GET /api/comments/all (site build)", ops);
    expect(ops).toEqual({ get: Math.ceil(POSTS / 100), keysRead: POSTS, put: 0, delete: 0, list: 0, written: [] });
  });

  it("reads the parent once more for a reply, and still writes only the reply's key", async () => {
    const parentId = await createApproved();
    const { ns, ops } = countingKv();
    const response = await submit(validComment({ parentId }), { vars: { COMMENTS: ns } });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    report("POST /api/comments (reply)", ops);
    expect(ops).toEqual({ get: 1, keysRead: 1, put: 1, delete: 0, list: 0, written: [`v1:comment:${id}`] });
  });
});

// Moderation re-derives the post's thread and the counts from the records (worker/moderation.ts publishPost):
// one list of every comment key (1 per 1,000 comments stored; its metadata gives every post's count), one bulk
// get of the post's approved comments (1 per 100), and writes of the thread and counts. The number of posts
// costs nothing.
describe("KV operations of moderation", () => {
  it("approving a comment costs 2 reads, 4 writes and 1 list on a post with one other comment", async () => {
    await createApproved({ email: "first@example.org" });
    const id = await createPending({ email: "second@example.org" });
    const { ns, ops } = countingKv();
    expect((await admin(`/comments/${id}/approve`, { method: "POST" }, { COMMENTS: ns })).status).toBe(200);
    report("POST /api/admin/comments/:id/approve", ops);
    // get: the record; bulk get: the post's other approved comment.
    expect(ops).toMatchObject({ get: 2, keysRead: 1 + 1, put: 4, delete: 0, list: 1 });
    expect(ops.written).toHaveLength(4);
    expect(ops.written).toEqual(
      expect.arrayContaining([`v1:comment:${id}`, `v1:thread:${POST}`, "v1:counts", expect.stringMatching(/^v1:trusted:/)]),
    );
  });

  it("rejecting a comment costs 2 reads, 3 writes, 1 delete and 1 list on a post with one other comment", async () => {
    await createApproved({ email: "first@example.org" });
    const id = await createPending({ email: "second@example.org" });
    const { ns, ops } = countingKv();
    expect((await admin(`/comments/${id}/reject`, { method: "POST" }, { COMMENTS: ns })).status).toBe(200);
    report("POST /api/admin/comments/:id/reject", ops);
    // The delete drops the (absent) trusted mark of an email with no approved comment: a billed delete all the same.
    expect(ops).toMatchObject({ get: 2, keysRead: 1 + 1, put: 3, delete: 1, list: 1 });
    expect(ops.written.filter((key) => key.startsWith("v1:comment:") || key.startsWith("v1:thread:"))).toEqual(
      expect.arrayContaining([`v1:comment:${id}`, `v1:thread:${POST}`]),
    );
  });

  it("deleting a comment costs 2 reads, 2 writes, 2 deletes and 1 list on a post with one other comment", async () => {
    await createApproved({ email: "first@example.org" });
    const id = await createPending({ email: "second@example.org" });
    const { ns, ops } = countingKv();
    expect((await admin(`/comments/${id}`, { method: "DELETE" }, { COMMENTS: ns })).status).toBe(204);
    report("DELETE /api/admin/comments/:id", ops);
    expect(ops).toMatchObject({ get: 2, keysRead: 1 + 1, put: 2, delete: 2, list: 1 });
  });

  it("listing the queue costs 1 list and 1 bulk get per 100 comments shown", async () => {
    await createPending();
    await createPending();
    const { ns, ops } = countingKv();
    expect((await admin("/comments?status=pending", {}, { COMMENTS: ns })).status).toBe(200);
    report("GET /api/admin/comments (2 pending)", ops);
    expect(ops).toEqual({ get: 1, keysRead: 2, put: 0, delete: 0, list: 1, written: [] });
  });

  it("approving on a post with 150 comments reads them in two bulk gets", async () => {
    const imported = Array.from({ length: 150 }, (_, i) => ({
      post: POST, author: `Reader ${i}`, email: null, website: null, parentId: null, body: `Comment ${i}`,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    }));
    expect((await admin("/import", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(imported) })).status).toBe(200);
    const id = await createPending({ email: "late@example.org" });
    const { ns, ops } = countingKv();
    expect((await admin(`/comments/${id}/approve`, { method: "POST" }, { COMMENTS: ns })).status).toBe(200);
    report("POST /api/admin/comments/:id/approve (post with 150 comments)", ops);
    expect(ops).toMatchObject({ get: 1 + 2, keysRead: 1 + 150, put: 4, delete: 0, list: 1 });
  });

  it("asking for a site rebuild after an approval adds one read and one write of the hook's state", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response(null, { status: 204 }));
    await createApproved({ email: "first@example.org" });
    const id = await createPending({ email: "second@example.org" });
    const { ns, ops } = countingKv();
    expect((await admin(`/comments/${id}/approve`, { method: "POST" }, { COMMENTS: ns, ...DEPLOY_HOOK })).status).toBe(200);
    report("POST /api/admin/comments/:id/approve (with DEPLOY_HOOK_URL)", ops);
    expect(ops).toMatchObject({ get: 3, keysRead: 1 + 1 + 1, put: 5, delete: 0, list: 1 });
    expect(ops.written).toContain("v1:deploy-hook");
  });

  it("the per-minute deploy-hook cron reads one key when no rebuild is owed", async () => {
    const { ns, ops } = countingKv();
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ cron: "* * * * *" }), { ...env, COMMENTS: ns, ...DEPLOY_HOOK }, ctx);
    await waitOnExecutionContext(ctx);
    report("scheduled deploy-hook check (nothing owed)", ops);
    expect(ops).toEqual({ get: 1, keysRead: 1, put: 0, delete: 0, list: 0, written: [] });
  });

  it("the hourly repair reads every thread but no record, and writes nothing, when nothing raced", async () => {
    await createApproved({ email: "first@example.org" });
    await createApproved({ email: "second@example.org", post: OTHER_POST });
    await createPending({ email: "third@example.org" });
    const { ns, ops } = countingKv();
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ cron: "17 * * * *" }), { ...env, COMMENTS: ns }, ctx);
    await waitOnExecutionContext(ctx);
    report("scheduled rebuild (3 comments)", ops);
    // Lists: the comment keys and the trusted keys. Gets: every thread (bulk) and the counts; no record.
    expect(ops).toEqual({ get: 2, keysRead: POSTS + 1, put: 0, delete: 0, list: 2, written: [] });
  });
});
