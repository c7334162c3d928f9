import { env } from "cloudflare:workers";
import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { StoreUnavailableError } from "../../../worker/http/errors.ts";
import * as store from "../../../worker/publish/kv-store.ts";
import { failingKv } from "../helpers.ts";

afterEach(() => reset());

function record(id: string, overrides: Partial<store.AdminComment> = {}): store.AdminComment {
  return {
    id, post: "p", parentId: null, author: "A", email: "a@example.org", website: null, body: "B",
    createdAt: "2026-01-01T00:00:00.000Z", status: "pending", moderatedAt: null, ...overrides,
  };
}

describe("putComment", () => {
  it("stores the record under its own versioned key with post and status as metadata", async () => {
    await store.putComment(env.COMMENTS, record("c1"), "hash");
    const { value, metadata } = await env.COMMENTS.getWithMetadata("v1:comment:c1", "json");
    expect(value).toEqual(record("c1"));
    expect(metadata).toEqual({ post: "p", status: "pending", e: "hash" });
  });
});

describe("listCommentPage", () => {
  it("lists comments' ids and metadata without reading the records", async () => {
    await store.putComment(env.COMMENTS, record("a"), null);
    await store.putComment(env.COMMENTS, record("b", { post: "q", status: "approved" }), null);
    expect(await store.listCommentPage(env.COMMENTS, null)).toEqual({
      comments: [{ id: "a", post: "p", status: "pending" }, { id: "b", post: "q", status: "approved" }],
      cursor: null,
    });
  });

  it("pages through more than 1,000 comments with the cursor it returns", async () => {
    const ids = Array.from({ length: 1005 }, (_, i) => `c${String(i).padStart(4, "0")}`);
    for (let i = 0; i < ids.length; i += 100) {
      await Promise.all(ids.slice(i, i + 100).map((id) => store.putComment(env.COMMENTS, record(id), null)));
    }
    const first = await store.listCommentPage(env.COMMENTS, null);
    expect(first.comments).toHaveLength(1000);
    expect(first.cursor).not.toBeNull();
    const second = await store.listCommentPage(env.COMMENTS, first.cursor);
    expect(second.cursor).toBeNull();
    expect([...first.comments, ...second.comments].map((c) => c.id)).toEqual(ids);
  });
});

describe("getComments", () => {
  it("returns records in the order asked, in bulk reads of 100, skipping missing ones", async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `r${i}`);
    await Promise.all(ids.map((id) => store.putComment(env.COMMENTS, record(id), null)));
    const found = await store.getComments(env.COMMENTS, ["missing", ...[...ids].reverse()]);
    expect(found.map((r) => r.id)).toEqual([...ids].reverse());
  });
});

describe("readThread and readCounts", () => {
  it("read nothing-yet as an empty thread and empty counts", async () => {
    expect(await store.readThread(env.COMMENTS, "p")).toEqual([]);
    expect(await store.readCounts(env.COMMENTS)).toEqual({});
  });

  it("read back what was written", async () => {
    const thread = [{ id: "a", parentId: null, author: "A", website: null, body: "B", createdAt: "2026-01-01T00:00:00.000Z" }];
    await store.writeThread(env.COMMENTS, "p", thread);
    await store.writeCounts(env.COMMENTS, { p: 1 });
    expect(await store.readThread(env.COMMENTS, "p")).toEqual(thread);
    expect(await store.readCounts(env.COMMENTS)).toEqual({ p: 1 });
  });
});

describe("the inbox", () => {
  it("lists the ids noted in it until each is removed", async () => {
    await store.putInbox(env.COMMENTS, "a");
    await store.putInbox(env.COMMENTS, "b");
    expect(await store.listInbox(env.COMMENTS)).toEqual(["a", "b"]);
    await store.deleteInbox(env.COMMENTS, "a");
    expect(await store.listInbox(env.COMMENTS)).toEqual(["b"]);
  });
});

describe("KV failures", () => {
  it("surface as StoreUnavailableError from every operation", async () => {
    const ns = failingKv();
    const calls = [
      store.putComment(ns, record("x"), null), store.deleteComment(ns, "x"),
      store.listCommentPage(ns, null), store.getComments(ns, ["x"]), store.readThread(ns, "p"),
      store.writeThread(ns, "p", []), store.readCounts(ns), store.writeCounts(ns, {}), store.putInbox(ns, "x"),
      store.listInbox(ns), store.deleteInbox(ns, "x"),
    ];
    for (const result of await Promise.allSettled(calls)) {
      expect(result.status).toBe("rejected");
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
    }
  });
});
