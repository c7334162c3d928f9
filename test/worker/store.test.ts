import { env } from "cloudflare:workers";
import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { StoreUnavailableError } from "../../worker/errors.ts";
import * as store from "../../worker/store.ts";
import { failingKv } from "./helpers.ts";

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

describe("listComments", () => {
  it("lists every comment's id and metadata without reading the records", async () => {
    await store.putComment(env.COMMENTS, record("a"), null);
    await store.putComment(env.COMMENTS, record("b", { post: "q", status: "approved" }), null);
    expect(await store.listComments(env.COMMENTS)).toEqual([
      { id: "a", post: "p", status: "pending" },
      { id: "b", post: "q", status: "approved" },
    ]);
  });

  it("pages through more than 1,000 comments", async () => {
    const ids = Array.from({ length: 1005 }, (_, i) => `c${String(i).padStart(4, "0")}`);
    for (let i = 0; i < ids.length; i += 100) {
      await Promise.all(ids.slice(i, i + 100).map((id) => store.putComment(env.COMMENTS, record(id), null)));
    }
    expect((await store.listComments(env.COMMENTS)).map((c) => c.id)).toEqual(ids);
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
    expect(await store.readThreads(env.COMMENTS, ["p", "q"])).toEqual(new Map([["p", thread], ["q", []]]));
    expect(await store.readCounts(env.COMMENTS)).toEqual({ p: 1 });
  });
});

describe("trusted emails", () => {
  it("remembers and forgets an email hash", async () => {
    await store.setTrusted(env.COMMENTS, "h1", true);
    expect(await store.isTrusted(env.COMMENTS, "h1")).toBe(true);
    expect(await store.listTrusted(env.COMMENTS)).toEqual(["h1"]);
    await store.setTrusted(env.COMMENTS, "h1", false);
    expect(await store.isTrusted(env.COMMENTS, "h1")).toBe(false);
  });
});

describe("KV failures", () => {
  it("surface as StoreUnavailableError from every operation", async () => {
    const ns = failingKv();
    const calls = [
      store.putComment(ns, record("x"), null), store.getComment(ns, "x"), store.deleteComment(ns, "x"),
      store.listComments(ns), store.getComments(ns, ["x"]), store.readThread(ns, "p"), store.readThreads(ns, ["p"]),
      store.writeThread(ns, "p", []), store.readCounts(ns), store.writeCounts(ns, {}), store.isTrusted(ns, "h"),
      store.setTrusted(ns, "h", true), store.listTrusted(ns),
    ];
    for (const result of await Promise.allSettled(calls)) {
      expect(result.status).toBe("rejected");
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
    }
  });
});
