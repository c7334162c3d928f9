import { env } from "cloudflare:workers";
import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import type { Moderation } from "../../worker/context.ts";
import { moderationFor } from "../../worker/context.ts";
import { StoreUnavailableError } from "../../worker/errors.ts";
import { hashEmail } from "../../worker/ids.ts";
import { deleteComment, publishPost, rebuildAll, setStatus } from "../../worker/moderation.ts";
import * as store from "../../worker/store.ts";
import { POST } from "./helpers.ts";

afterEach(() => reset());

const m = (): Moderation => moderationFor(env);

function record(id: string, overrides: Partial<store.AdminComment> = {}): store.AdminComment {
  return {
    id, post: POST, parentId: null, author: "A", email: "a@example.org", website: null, body: "B",
    createdAt: "2026-01-01T00:00:00.000Z", status: "pending", moderatedAt: null, ...overrides,
  };
}

/** A moderation context whose KV fails writes to keys starting with `prefix`. */
function failingWritesTo(prefix: string): Moderation {
  const ns = new Proxy(env.COMMENTS, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) =>
        (prop === "put" || prop === "delete") && String(args[0]).startsWith(prefix)
          ? Promise.reject(new Error("KV write failed"))
          : value.apply(target, args);
    },
  });
  return { ...m(), ns };
}

describe("publishPost", () => {
  it("trusts the change it is given over a KV read that may still be stale", async () => {
    await store.putComment(env.COMMENTS, record("a"), null);
    await publishPost(m(), POST, { record: record("a", { status: "approved" }) });
    expect((await store.readThread(env.COMMENTS, POST)).map((c) => c.id)).toEqual(["a"]);
    expect(await store.readCounts(env.COMMENTS)).toMatchObject({ [POST]: 1 });
  });

  it("leaves out a comment being deleted even while KV still returns it", async () => {
    await store.putComment(env.COMMENTS, record("a", { status: "approved" }), null);
    await publishPost(m(), POST, { deletedId: "a" });
    expect(await store.readThread(env.COMMENTS, POST)).toEqual([]);
  });
});

describe("setStatus and deleteComment under KV faults", () => {
  it("never shows a rejected comment: if unpublishing fails, the record stays approved and the call fails", async () => {
    await store.putComment(env.COMMENTS, record("a"), null);
    await setStatus(m(), "a", "approved");
    await expect(setStatus(failingWritesTo("v1:thread:"), "a", "rejected")).rejects.toBeInstanceOf(StoreUnavailableError);
    expect((await store.getComment(env.COMMENTS, "a"))!.status).toBe("approved");
    expect((await store.readThread(env.COMMENTS, POST)).map((c) => c.id)).toEqual(["a"]);
  });

  it("never loses a record when a delete fails half-way, and a retry finishes it", async () => {
    await store.putComment(env.COMMENTS, record("a"), null);
    await setStatus(m(), "a", "approved");
    await expect(deleteComment(failingWritesTo("v1:comment:"), "a")).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await store.getComment(env.COMMENTS, "a")).not.toBeNull();
    await deleteComment(m(), "a");
    expect(await store.getComment(env.COMMENTS, "a")).toBeNull();
    expect(await store.readThread(env.COMMENTS, POST)).toEqual([]);
  });

  it("keeps an approval whose publishing failed, and the rebuild publishes it", async () => {
    await store.putComment(env.COMMENTS, record("a"), null);
    await expect(setStatus(failingWritesTo("v1:thread:"), "a", "approved")).rejects.toBeInstanceOf(StoreUnavailableError);
    expect((await store.getComment(env.COMMENTS, "a"))!.status).toBe("approved");
    await rebuildAll(m());
    expect((await store.readThread(env.COMMENTS, POST)).map((c) => c.id)).toEqual(["a"]);
  });
});

describe("rebuildAll", () => {
  it("derives every thread and the counts, and writes nothing when they are already right", async () => {
    await store.putComment(env.COMMENTS, record("a", { status: "approved" }), null);
    expect(await rebuildAll(m())).toMatchObject({ comments: 1, written: 2 });
    expect(await rebuildAll(m())).toMatchObject({ comments: 1, written: 0 });
  });

  it("re-derives the trusted emails from the records when forced: approved ones in, others out", async () => {
    const trusted = await hashEmail("a@example.org", env.IP_HASH_SALT);
    // Stored without the email hash in its metadata, as if written under another IP_HASH_SALT.
    await store.putComment(env.COMMENTS, record("a", { status: "approved" }), null);
    await store.setTrusted(env.COMMENTS, "stale-hash", true);
    await rebuildAll(m(), { force: true });
    expect(await store.listTrusted(env.COMMENTS)).toEqual([trusted]);
  });

  it("takes the trusted emails from the key list's hashes when not forced, reading no record", async () => {
    const hash = await hashEmail("b@example.org", env.IP_HASH_SALT);
    await store.putComment(env.COMMENTS, record("b", { status: "approved", email: "b@example.org" }), hash);
    await store.setTrusted(env.COMMENTS, "stale-hash", true);
    await rebuildAll(m());
    expect(await store.listTrusted(env.COMMENTS)).toEqual([hash]);
  });

  it("re-derives a thread whose published ids differ from the approved ids, and leaves matching ones alone", async () => {
    await store.putComment(env.COMMENTS, record("a", { status: "approved" }), null);
    await rebuildAll(m());
    await store.writeThread(env.COMMENTS, POST, []);
    expect(await rebuildAll(m())).toMatchObject({ written: 1 });
    expect((await store.readThread(env.COMMENTS, POST)).map((c) => c.id)).toEqual(["a"]);
    expect(await rebuildAll(m())).toMatchObject({ written: 0 });
  });
});
