// What each kind of request costs in Workers KV operations (the "KV operations and cost" benchmark). KV bills per
// operation, so these counts are the service's running cost: docs/cost.md turns them into dollars, and
// `npm run bench` reads the `kv-ops` lines this file prints. The counts are deterministic, so they are asserted
// exactly: a change that adds a KV call to a path fails here and must update docs/cost.md.
// A bulk get (up to 100 keys) is one call; `keysRead` also counts its keys, because Cloudflare's pricing page
// does not say whether a bulk read bills as one read or one per key (docs/cost.md assumes per key).
import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, reset, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../../worker/index.ts";
import { listPosts } from "../../../worker/intake/posts.ts";
import { admin, call, createApproved, createPending, OTHER_POST, POST, submit, validComment } from "../helpers.ts";
import { type LedgerRig, pendingRecord, withLedger } from "../ledger-harness.ts";

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

  it("reads every post's thread for the site build from the ledger, touching KV not at all", async () => {
    await createApproved();
    const { ns, ops } = countingKv();
    expect((await call("/api/comments/all", {}, { COMMENTS: ns }, freshHost())).status).toBe(200);
    report("GET /api/comments/all (site build)", ops);
    expect(ops).toEqual({ get: 0, keysRead: 0, put: 0, delete: 0, list: 0, written: [] });
  });

  it("reads nothing for a reply (the ledger checks the parent), and still writes only the reply's key", async () => {
    const parentId = await createApproved();
    const { ns, ops } = countingKv();
    const response = await submit(validComment({ parentId }), { vars: { COMMENTS: ns } });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    report("POST /api/comments (reply)", ops);
    expect(ops).toEqual({ get: 0, keysRead: 0, put: 1, delete: 0, list: 0, written: [`v1:comment:${id}`] });
  });
});

// Moderation reads and decides in the ledger (a Durable Object's SQLite), and touches KV only to write what
// readers read: the post's thread and the counts, each only when its value changed. So an action costs the
// same KV operations whatever the number of comments stored or on the post, and no list. These run the ledger
// on a real Durable Object with a counting KV binding (ledger-harness.ts).
async function ledgerCost(request: string, act: (rig: LedgerRig) => Promise<unknown>, prepare: (rig: LedgerRig) => Promise<void>): Promise<KvOps> {
  const { ns, ops } = countingKv();
  let measured: KvOps | undefined;
  await withLedger(ns, async (rig) => {
    await prepare(rig);
    rig.clock.advance(5000);
    await rig.runAlarmsUntil(rig.clock.now());
    rig.clock.advance(5000);
    const before = { ...ops, written: [...ops.written] };
    await act(rig);
    measured = { get: ops.get - before.get, keysRead: ops.keysRead - before.keysRead, put: ops.put - before.put, delete: ops.delete - before.delete,
      list: ops.list - before.list, written: ops.written.slice(before.written.length) };
  });
  report(request, measured!);
  return measured!;
}

async function stored(rig: LedgerRig, n: number, status: "pending" | "approved", post = POST): Promise<string[]> {
  const entries = Array.from({ length: n }, () => ({ record: pendingRecord({ post, status, moderatedAt: status === "approved" ? "2026-11-02T00:00:00.000Z" : null }), emailHash: null }));
  expect((await rig.moderation.importEntries(entries)).fields).toBeNull();
  return entries.map((e) => e.record.id);
}

describe("KV operations of moderation", () => {
  const publishWrites = ["v1:counts", `v1:thread:${POST}`];

  it("approving a comment costs 2 writes (the thread and the counts) and no read or list", async () => {
    let id = "";
    const ops = await ledgerCost("POST /api/admin/comments/:id/approve", (rig) => rig.moderation.setStatus(id, "approved"), async (rig) => {
      await stored(rig, 1, "approved");
      id = (await stored(rig, 1, "pending"))[0]!;
    });
    expect(ops).toEqual({ get: 0, keysRead: 0, put: 2, delete: 0, list: 0, written: publishWrites });
  });

  it("approving costs the same 2 writes with 2,000 comments stored, 500 of them on the post", async () => {
    let id = "";
    const ops = await ledgerCost("POST /api/admin/comments/:id/approve (2,000 stored)", (rig) => rig.moderation.setStatus(id, "approved"), async (rig) => {
      for (let i = 0; i < 3; i++) await stored(rig, 500, "approved", OTHER_POST);
      await stored(rig, 500, "approved");
      id = (await stored(rig, 1, "pending"))[0]!;
    });
    expect(ops).toEqual({ get: 0, keysRead: 0, put: 2, delete: 0, list: 0, written: publishWrites });
  });

  it("rejecting a pending comment writes nothing, since nothing readers see changes", async () => {
    let id = "";
    const ops = await ledgerCost("POST /api/admin/comments/:id/reject (pending)", (rig) => rig.moderation.setStatus(id, "rejected"), async (rig) => {
      await stored(rig, 1, "approved");
      id = (await stored(rig, 1, "pending"))[0]!;
    });
    expect(ops).toEqual({ get: 0, keysRead: 0, put: 0, delete: 0, list: 0, written: [] });
  });

  it("rejecting a published comment costs 2 writes", async () => {
    let id = "";
    const ops = await ledgerCost("POST /api/admin/comments/:id/reject (approved)", (rig) => rig.moderation.setStatus(id, "rejected"), async (rig) => {
      id = (await stored(rig, 2, "approved"))[0]!;
    });
    expect(ops).toEqual({ get: 0, keysRead: 0, put: 2, delete: 0, list: 0, written: publishWrites });
  });

  it("deleting a pending comment costs 1 delete (its KV record), and a published one 2 writes more", async () => {
    let pending = "";
    const quiet = await ledgerCost("DELETE /api/admin/comments/:id (pending)", (rig) => rig.moderation.remove(pending), async (rig) => {
      pending = (await stored(rig, 1, "pending"))[0]!;
    });
    expect(quiet).toEqual({ get: 0, keysRead: 0, put: 0, delete: 1, list: 0, written: [`v1:comment:${pending}`] });
    let approved = "";
    const published = await ledgerCost("DELETE /api/admin/comments/:id (approved)", (rig) => rig.moderation.remove(approved), async (rig) => {
      approved = (await stored(rig, 1, "approved"))[0]!;
    });
    expect(published).toMatchObject({ get: 0, keysRead: 0, put: 2, delete: 1, list: 0 });
  });

  it("listing the queue touches KV not at all", async () => {
    await createPending();
    await createPending();
    const { ns, ops } = countingKv();
    expect((await admin("/comments?status=pending", {}, { COMMENTS: ns })).status).toBe(200);
    report("GET /api/admin/comments (2 pending)", ops);
    expect(ops).toEqual({ get: 0, keysRead: 0, put: 0, delete: 0, list: 0, written: [] });
  });

  it("asking for a site rebuild after an approval touches KV not at all (its state is in the ledger)", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response(null, { status: 204 }));
    await createApproved({ email: "first@example.org" });
    const id = await createPending({ email: "second@example.org" });
    const { ns, ops } = countingKv();
    expect((await admin(`/comments/${id}/approve`, { method: "POST" }, { COMMENTS: ns, ...DEPLOY_HOOK })).status).toBe(200);
    report("POST /api/admin/comments/:id/approve (with DEPLOY_HOOK_URL)", ops);
    expect(ops).toEqual({ get: 0, keysRead: 0, put: 0, delete: 0, list: 0, written: [] });
  });

  it("an unknown schedule touches KV not at all", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const { ns, ops } = countingKv();
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ cron: "* * * * *" }), { ...env, COMMENTS: ns }, ctx);
    await waitOnExecutionContext(ctx);
    expect(ops).toEqual({ get: 0, keysRead: 0, put: 0, delete: 0, list: 0, written: [] });
  });

  it("the five-minute inbox cron lists the (empty) inbox and does nothing else", async () => {
    const { ns, ops } = countingKv();
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ cron: "*/5 * * * *" }), { ...env, COMMENTS: ns }, ctx);
    await waitOnExecutionContext(ctx);
    report("scheduled inbox check (empty)", ops);
    expect(ops).toEqual({ get: 0, keysRead: 0, put: 0, delete: 0, list: 1, written: [] });
  });

  it("the hourly reconcile lists the inbox and one page of comment keys, and reads and writes nothing, when the ledger has them all", async () => {
    await createApproved({ email: "first@example.org" });
    await createApproved({ email: "second@example.org", post: OTHER_POST });
    await createPending({ email: "third@example.org" });
    const { ns, ops } = countingKv();
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ cron: "17 * * * *" }), { ...env, COMMENTS: ns }, ctx);
    await waitOnExecutionContext(ctx);
    report("scheduled reconcile (3 comments)", ops);
    expect(ops).toEqual({ get: 0, keysRead: 0, put: 0, delete: 0, list: 2, written: [] });
  });
});
