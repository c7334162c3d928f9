import { env } from "cloudflare:workers";
import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { writeThread } from "../../../worker/publish/kv-store.ts";
import { IMPORT_BODY_MAX } from "../../../worker/intake/schema.ts";
import { textRevision } from "../../../worker/publish/thread.ts";
import { admin, call, createApproved, createPending, getThread, OTHER_POST, POST, SITE } from "../helpers.ts";

afterEach(() => reset());

interface Listed {
  comments: Array<{ id: string; post: string; email: string | null; status: string; moderatedAt: string | null; body: string; parentId: string | null }>;
  posts: Record<string, { title: string; url: string }>;
}

const list = async (query = "") => (await (await admin(`/comments${query}`)).json()) as Listed;
const counts = async () => ((await (await call("/api/comments/counts")).json()) as { counts: Record<string, number> }).counts;
const importJson = (body: unknown, query = "") =>
  admin(`/import${query}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

const legacyReply = {
  id: "wp-1",
  post: POST,
  parentId: null,
  author: "Dr Richard Jones",
  email: null,
  website: null,
  body: "A legacy reply from the WordPress site.",
  createdAt: "2012-11-02T10:00:00.000Z",
};

describe("GET /api/admin/comments", () => {
  it("lists every comment with post and status, oldest first, and no address (records keep only its hash)", async () => {
    const a = await createPending();
    const b = await createApproved({ post: OTHER_POST });
    const body = await list();
    expect(body.comments.map((c) => c.id)).toEqual([a, b]);
    expect(body.comments[0]).toMatchObject({ post: POST, email: null, status: "pending" });
    expect(body.posts[POST]).toEqual({ title: "Local leadership capabilities", url: `/posts/${POST}/` });
  });

  it("filters by status and by post", async () => {
    const pending = await createPending();
    const approved = await createApproved();
    const elsewhere = await createPending({ post: OTHER_POST });
    expect((await list("?status=pending")).comments.map((c) => c.id)).toEqual([pending, elsewhere]);
    expect((await list("?status=approved")).comments.map((c) => c.id)).toEqual([approved]);
    expect((await list("?status=rejected")).comments).toEqual([]);
    expect((await list(`?status=pending&post=${OTHER_POST}`)).comments.map((c) => c.id)).toEqual([elsewhere]);
  });

  it("answers 400 for an unknown status", async () => {
    const response = await admin("/comments?status=deleted");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "bad_request" });
  });

  it("is never cached and grants no cross-origin access", async () => {
    const response = await admin("/comments", { headers: { origin: SITE } });
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("GET /api/admin/comments/:id", () => {
  it("shows one comment with its post's title", async () => {
    const id = await createPending();
    const response = await admin(`/comments/${id}`);
    expect(await response.json()).toMatchObject({ comment: { id, status: "pending" }, postTitle: "Local leadership capabilities" });
  });

  it("answers 404 for an unknown or malformed id", async () => {
    for (const id of ["01UNKNOWN", "not%20an%20id", "x".repeat(65)]) {
      const response = await admin(`/comments/${id}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: "not_found" });
    }
  });
});

describe("POST /api/admin/comments/:id/approve", () => {
  it("approves, records when, and publishes the comment and its count", async () => {
    const id = await createPending();
    const before = Date.now();
    const response = await admin(`/comments/${id}/approve`, { method: "POST" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { id: string; status: string; moderatedAt: string };
    expect(body).toMatchObject({ id, status: "approved" });
    expect(Date.parse(body.moderatedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect((await getThread()).comments.map((c) => c.id)).toEqual([id]);
    expect(await counts()).toEqual({ [POST]: 1, [OTHER_POST]: 0 });
    expect((await list()).comments[0]!.moderatedAt).toBe(body.moderatedAt);
  });

  it("is safe to repeat", async () => {
    const id = await createPending();
    await admin(`/comments/${id}/approve`, { method: "POST" });
    await admin(`/comments/${id}/approve`, { method: "POST" });
    expect((await getThread()).count).toBe(1);
  });

  it("answers 404 for an unknown id", async () => {
    expect((await admin("/comments/01UNKNOWN/approve", { method: "POST" })).status).toBe(404);
  });
});

describe("concurrent approvals", () => {
  it("publishes all of twelve approvals sent at once on one post, with a count that matches", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await createPending({ body: `Concurrent ${i}.` }));
    const responses = await Promise.all(ids.map((id) => admin(`/comments/${id}/approve`, { method: "POST" })));
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200));
    const answers = (await Promise.all(responses.map((r) => r.json()))) as Array<{ published: boolean }>;
    expect(answers.every((a) => a.published)).toBe(true);
    expect((await getThread()).comments.map((c) => c.id).sort()).toEqual([...ids].sort());
    expect((await counts())[POST]).toBe(12);
  });
});

describe("POST /api/admin/comments/:id/reject", () => {
  it("rejects a comment and takes it out of the published thread and count", async () => {
    const keep = await createApproved();
    const id = await createApproved();
    const response = await admin(`/comments/${id}/reject`, { method: "POST" });
    expect(await response.json()).toMatchObject({ id, status: "rejected", moderatedAt: expect.any(String) });
    expect((await getThread()).comments.map((c) => c.id)).toEqual([keep]);
    expect((await counts())[POST]).toBe(1);
    expect((await list("?status=rejected")).comments.map((c) => c.id)).toEqual([id]);
  });

  it("answers 404 for an unknown id", async () => {
    expect((await admin("/comments/01UNKNOWN/reject", { method: "POST" })).status).toBe(404);
  });
});

describe("DELETE /api/admin/comments/:id", () => {
  it("deletes the comment for good (204) and unpublishes it", async () => {
    const id = await createApproved();
    const response = await admin(`/comments/${id}`, { method: "DELETE" });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect((await getThread()).comments).toEqual([]);
    expect((await list()).comments).toEqual([]);
    expect((await admin(`/comments/${id}`, { method: "DELETE" })).status).toBe(404);
  });

  it("moves replies of a deleted comment to the top level instead of hiding them", async () => {
    const parent = await createApproved();
    const reply = await createApproved({ parentId: parent });
    await admin(`/comments/${parent}`, { method: "DELETE" });
    expect((await getThread()).comments).toEqual([expect.objectContaining({ id: reply, parentId: null })]);
  });
});

describe("POST /api/admin/import", () => {
  it("imports a legacy comment as approved and publishes it", async () => {
    const response = await importJson([legacyReply]);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ imported: 1, skipped: 0, keptDeleted: 0 });
    expect((await getThread()).comments).toEqual([
      {
        id: "wp-1", parentId: null, author: "Dr Richard Jones", website: null, body: legacyReply.body,
        content: [{ tag: "p", attrs: {}, children: [legacyReply.body] }], createdAt: legacyReply.createdAt,
        revision: textRevision(legacyReply.body),
      },
    ]);
    expect((await list()).comments[0]).toMatchObject({ status: "approved", email: null, moderatedAt: expect.any(String) });
  });

  it("keeps an entry's format and byBlog, renders it in that format and shows the blog's reply with the badge", async () => {
    const fromWordPress = { ...legacyReply, id: "wp-2", body: "<em>Imported</em> <script>alert(1)</script>", format: "html", byBlog: true };
    expect((await importJson([fromWordPress])).status).toBe(200);
    const [comment] = (await getThread()).comments;
    expect(comment).toMatchObject({ byBlog: true, content: [{ tag: "p", attrs: {}, children: [{ tag: "em", attrs: {}, children: ["Imported"] }] }] });
    const exported = (await (await admin("/export")).json()) as Record<string, unknown>[];
    expect(exported[0]).toMatchObject({ format: "html", byBlog: true, body: fromWordPress.body });
  });

  it("refuses a format other than markdown or html, and a byBlog that is not true or false", async () => {
    const response = await importJson([{ ...legacyReply, format: "rst" }, { ...legacyReply, id: "wp-3", byBlog: "yes" }]);
    expect(response.status).toBe(422);
    expect(((await response.json()) as { fields: Record<string, string> }).fields).toEqual({
      "0.format": "format must be markdown or html.", "1.byBlog": "byBlog must be true or false.",
    });
  });

  it("stores each comment once when the same file is imported twice", async () => {
    const withoutId = { post: OTHER_POST, author: "Old Reader", body: "No id here", createdAt: "2012-10-01T09:00:00Z" };
    expect(await (await importJson([legacyReply, withoutId])).json()).toEqual({ imported: 2, skipped: 0, keptDeleted: 0 });
    expect(await (await importJson([legacyReply, withoutId])).json()).toEqual({ imported: 0, skipped: 2, keptDeleted: 0 });
    const stored = (await list()).comments;
    expect(stored).toHaveLength(2);
    expect(stored.find((c) => c.post === OTHER_POST)!.id).toMatch(/^imp-[0-9a-f]{40}$/);
    expect((await getThread()).count).toBe(1);
  });

  it("keeps a moderator's later decision when the file is imported again", async () => {
    await importJson([legacyReply]);
    await admin("/comments/wp-1/reject", { method: "POST" });
    await importJson([legacyReply]);
    expect((await getThread()).comments).toEqual([]);
  });

  it("imports replies whose parent is in the same file", async () => {
    const reply = { ...legacyReply, id: "wp-2", parentId: "wp-1", createdAt: "2012-11-03T10:00:00Z" };
    expect(await (await importJson([reply, legacyReply])).json()).toEqual({ imported: 2, skipped: 0, keptDeleted: 0 });
    expect((await getThread()).comments.map((c) => [c.id, c.parentId])).toEqual([["wp-1", null], ["wp-2", "wp-1"]]);
  });

  it("answers 422 naming each bad entry's field and imports nothing", async () => {
    const response = await importJson([
      legacyReply,
      { ...legacyReply, id: "x2", createdAt: "last week" },
      { ...legacyReply, id: "x3", post: "no-such-post" },
      { ...legacyReply, id: "x4", parentId: "missing" },
    ]);
    expect(response.status).toBe(422);
    const body = (await response.json()) as { fields: Record<string, string> };
    expect(Object.keys(body.fields).sort()).toEqual(["1.createdAt"]);
    const second = await importJson([legacyReply, { ...legacyReply, id: "x3", post: "no-such-post" }, { ...legacyReply, id: "x4", parentId: "missing" }]);
    expect(second.status).toBe(422);
    expect(Object.keys(((await second.json()) as { fields: object }).fields).sort()).toEqual(["1.post", "2.parentId"]);
    expect((await list()).comments).toEqual([]);
  });

  it("never brings back a comment deleted here unless restoreDeleted asks", async () => {
    await importJson([legacyReply]);
    expect((await admin("/comments/wp-1", { method: "DELETE" })).status).toBe(204);
    expect(await (await importJson([legacyReply])).json()).toEqual({ imported: 0, skipped: 0, keptDeleted: 1 });
    expect((await getThread()).comments).toEqual([]);
    expect(await (await importJson([legacyReply], "?restoreDeleted=1")).json()).toEqual({ imported: 1, skipped: 0, keptDeleted: 0 });
    expect((await getThread()).comments.map((c) => c.id)).toEqual(["wp-1"]);
  });

  it(`imports a published comment longer than a reader may send, up to ${IMPORT_BODY_MAX} characters`, async () => {
    const long = { ...legacyReply, body: "x".repeat(IMPORT_BODY_MAX) };
    expect(await (await importJson([long])).json()).toEqual({ imported: 1, skipped: 0, keptDeleted: 0 });
    expect((await getThread()).comments[0]!.body).toHaveLength(IMPORT_BODY_MAX);
    const tooLong = await importJson([{ ...long, id: "wp-9", body: "x".repeat(IMPORT_BODY_MAX + 1) }]);
    expect(tooLong.status).toBe(422);
    expect(((await tooLong.json()) as { fields: Record<string, string> }).fields).toEqual({ "0.body": `An imported comment can be at most ${IMPORT_BODY_MAX} characters.` });
  });

  it("answers 400 for malformed JSON or a non-array, 415 for another content type", async () => {
    expect((await admin("/import", { method: "POST", headers: { "content-type": "application/json" }, body: "[{" })).status).toBe(400);
    expect((await importJson({ comments: [] })).status).toBe(400);
    expect((await admin("/import", { method: "POST", headers: { "content-type": "text/plain" }, body: "[]" })).status).toBe(415);
  });
});

describe("GET /api/admin/export", () => {
  it("exports every comment in the import format, and re-importing it restores the same threads", async () => {
    await importJson([legacyReply]);
    const approved = await createApproved({ post: OTHER_POST, website: "https://reader.example" });
    const pending = await createPending();
    const rejected = await createPending({ body: "to reject" });
    await admin(`/comments/${rejected}/reject`, { method: "POST" });

    const exportResponse = await admin("/export");
    expect(exportResponse.headers.get("content-disposition")).toContain("attachment");
    const exported = (await exportResponse.json()) as Array<Record<string, unknown>>;
    expect(exported.map((c) => c.id)).toEqual(["wp-1", approved, pending, rejected]);
    expect(Object.keys(exported[1]!).sort()).toEqual(
      ["author", "body", "createdAt", "email", "id", "moderatedAt", "parentId", "post", "status", "website"],
    );
    const threadsBefore = [await getThread(POST), await getThread(OTHER_POST)];

    for (const c of exported) await admin(`/comments/${String(c.id)}`, { method: "DELETE" });
    expect((await list()).comments).toEqual([]);
    expect(await (await importJson(exported)).json()).toEqual({ imported: 0, skipped: 0, keptDeleted: 4 });
    expect((await list()).comments).toEqual([]);
    expect(await (await importJson(exported, "?restoreDeleted=1")).json()).toEqual({ imported: 4, skipped: 0, keptDeleted: 0 });

    expect([await getThread(POST), await getThread(OTHER_POST)]).toEqual(threadsBefore);
    expect(await (await admin("/export")).json()).toEqual(exported);
  });
});

describe("POST /api/admin/rebuild", () => {
  it("repairs a published thread and counts from the records", async () => {
    const id = await createApproved();
    await writeThread(env.COMMENTS, POST, []);
    await env.COMMENTS.put("v1:counts", JSON.stringify({ [POST]: 7 }));
    const response = await admin("/rebuild", { method: "POST" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ posts: 2, comments: 1 });
    expect((await getThread()).comments.map((c) => c.id)).toEqual([id]);
    expect((await counts())[POST]).toBe(1);
  });

  it("rebuilds one post when asked, and answers 404 for an unknown post", async () => {
    const id = await createApproved();
    await writeThread(env.COMMENTS, POST, []);
    expect((await admin(`/rebuild?post=${POST}`, { method: "POST" })).status).toBe(200);
    expect((await getThread()).comments.map((c) => c.id)).toEqual([id]);
    expect((await admin("/rebuild?post=nope", { method: "POST" })).status).toBe(404);
  });
});
