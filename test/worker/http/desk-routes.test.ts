// The moderation desk's API: named moderators, roles, the audit log, spam, rules, bulk, edit, reply, block.
import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { BULK_MAX_IDS, MODERATOR_NAME_MAX, RULE_VALUE_MAX } from "../../../worker/intake/schema.ts";
import { admin, call, createApproved, createPending, dumpKv, getThread, OTHER_POST, POST, submit, validComment } from "../helpers.ts";

afterEach(() => reset());

const json = (body: unknown, method = "POST"): RequestInit => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
/** A moderator API call with another moderator's token. */
const as = (token: string, path: string, init: RequestInit = {}) =>
  call(`/api/admin${path}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } });

async function addModerator(name: string, role?: string): Promise<string> {
  const response = await admin("/moderators", json({ name, role }));
  if (response.status !== 201) throw new Error(`add moderator failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

interface Entry { moderator: string; action: string; id: string | null; post: string | null; from: string | null; to: string | null; detail?: Record<string, unknown> }
const auditLog = async (query = "") => ((await (await admin(`/audit${query}`)).json()) as { entries: Array<Entry & { seq: number; at: string }> }).entries;
const publicCounts = async () => ((await (await call("/api/comments/counts")).json()) as { counts: Record<string, number> }).counts;

describe("POST /api/admin/moderators", () => {
  it("creates a moderator whose token (shown once) approves, and the audit log names them", async () => {
    const response = await admin("/moderators", json({ name: "Ada" }));
    expect(response.status).toBe(201);
    const created = (await response.json()) as { name: string; role: string; token: string };
    expect(created).toMatchObject({ name: "Ada", role: "moderator" });
    expect(created.token.length).toBeGreaterThanOrEqual(40);
    const id = await createPending();
    expect((await as(created.token, `/comments/${id}/approve`, { method: "POST" })).status).toBe(200);
    expect((await auditLog())[0]).toMatchObject({ moderator: "Ada", action: "approve", id, post: POST, from: "pending", to: "approved" });
  });

  it("answers 401 to a token of another shape or a near miss of a moderator's token", async () => {
    const token = await addModerator("Ada");
    for (const wrong of [`${token}x`, token.slice(0, -1), `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`, "x".repeat(43)]) {
      expect((await as(wrong, "/me")).status).toBe(401);
    }
  });

  it("stores only a hash of the token: the token appears nowhere in the listing", async () => {
    const token = await addModerator("Grace");
    const listing = await (await admin("/moderators")).text();
    expect(listing).toContain("Grace");
    expect(listing).not.toContain(token);
    expect(await dumpKv()).not.toContain(token);
  });

  it("answers 409 for a name already in use, and for the names the audit log keeps for the owner and the service", async () => {
    await addModerator("Ada");
    expect((await admin("/moderators", json({ name: "Ada" }))).status).toBe(409);
    for (const name of ["owner", "Owner", "system", "rules"]) expect((await admin("/moderators", json({ name }))).status).toBe(409);
  });

  it(`accepts a name of ${MODERATOR_NAME_MAX} characters and refuses ${MODERATOR_NAME_MAX + 1} with a message naming the field`, async () => {
    expect((await admin("/moderators", json({ name: "a".repeat(MODERATOR_NAME_MAX) }))).status).toBe(201);
    const response = await admin("/moderators", json({ name: "b".repeat(MODERATOR_NAME_MAX + 1) }));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: "validation_failed", fields: { name: expect.stringContaining(`${MODERATOR_NAME_MAX}`) } });
  });

  it("refuses an unknown role and a name with markup", async () => {
    expect(await (await admin("/moderators", json({ name: "Ada", role: "admin" }))).json()).toMatchObject({ fields: { role: expect.any(String) } });
    expect(await (await admin("/moderators", json({ name: "<b>Ada</b>" }))).json()).toMatchObject({ fields: { name: expect.any(String) } });
  });
});

describe("requireOwner (moderator and rule management)", () => {
  it("answers 403 when a moderator manages moderators or rules, and lets them moderate", async () => {
    const token = await addModerator("Ada");
    expect((await as(token, "/moderators")).status).toBe(403);
    expect((await as(token, "/moderators", json({ name: "Eve" }))).status).toBe(403);
    expect((await as(token, "/rules", json({ kind: "word", value: "casino" }))).status).toBe(403);
    expect((await as(token, "/rules")).status).toBe(200);
    expect((await as(token, "/audit")).status).toBe(200);
  });

  it("lets a moderator added as owner manage moderators", async () => {
    const token = await addModerator("Chief", "owner");
    expect((await as(token, "/moderators", json({ name: "Ada" }))).status).toBe(201);
    expect((await auditLog())[0]).toMatchObject({ moderator: "Chief", action: "moderator-add", detail: { name: "Ada", role: "moderator" } });
  });
});

describe("GET /api/admin/me", () => {
  it("names the bootstrap owner and a named moderator", async () => {
    expect(await (await admin("/me")).json()).toEqual({ name: "owner", role: "owner" });
    const token = await addModerator("Ada");
    expect(await (await as(token, "/me")).json()).toEqual({ name: "Ada", role: "moderator" });
  });
});

describe("DELETE /api/admin/moderators/:name", () => {
  it("revokes at once: the token answers 401, the listing shows when, and the log records it", async () => {
    const token = await addModerator("Ada");
    expect((await admin("/moderators/Ada", { method: "DELETE" })).status).toBe(204);
    expect((await as(token, "/me")).status).toBe(401);
    const { moderators } = (await (await admin("/moderators")).json()) as { moderators: Array<{ name: string; revokedAt: string | null }> };
    expect(moderators.find((m) => m.name === "Ada")?.revokedAt).toEqual(expect.any(String));
    expect((await auditLog())[0]).toMatchObject({ moderator: "owner", action: "moderator-revoke", detail: { name: "Ada" } });
  });

  it("answers 404 for an unknown or already revoked name, and never revokes the bootstrap owner", async () => {
    await addModerator("Ada");
    await admin("/moderators/Ada", { method: "DELETE" });
    expect((await admin("/moderators/Ada", { method: "DELETE" })).status).toBe(404);
    expect((await admin("/moderators/Nobody", { method: "DELETE" })).status).toBe(404);
    expect((await admin("/moderators/owner", { method: "DELETE" })).status).toBe(404);
  });

  it("gives a revoked name a new token when it is added again; the old token stays refused", async () => {
    const old = await addModerator("Ada");
    await admin("/moderators/Ada", { method: "DELETE" });
    const fresh = await addModerator("Ada");
    expect((await as(old, "/me")).status).toBe(401);
    expect((await as(fresh, "/me")).status).toBe(200);
  });
});

describe("POST /api/admin/comments/:id/spam", () => {
  it("takes a comment out of the thread and the counts, and lists it under spam", async () => {
    const keep = await createApproved();
    const id = await createApproved();
    const response = await admin(`/comments/${id}/spam`, { method: "POST" });
    expect(await response.json()).toMatchObject({ id, status: "spam", published: true });
    expect((await getThread()).comments.map((c) => c.id)).toEqual([keep]);
    expect((await publicCounts())[POST]).toBe(1);
    const listed = (await (await admin("/comments?status=spam")).json()) as { comments: Array<{ id: string }>; counts: Record<string, number> };
    expect(listed.comments.map((c) => c.id)).toEqual([id]);
    expect(listed.counts).toEqual({ pending: 0, approved: 1, rejected: 0, spam: 1 });
  });
});

describe("GET /api/admin/comments?q=&limit=&cursor=", () => {
  it("pages oldest first with a cursor, and counts every status", async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await createPending({ body: `Page ${i}.` }));
    const first = (await (await admin("/comments?status=pending&limit=2")).json()) as { comments: Array<{ id: string }>; next: string | null; counts: Record<string, number> };
    expect(first.comments.map((c) => c.id)).toEqual(ids.slice(0, 2));
    expect(first.counts.pending).toBe(5);
    const seen = [...first.comments.map((c) => c.id)];
    let next = first.next;
    while (next) {
      const page = (await (await admin(`/comments?status=pending&limit=2&cursor=${encodeURIComponent(next)}`)).json()) as { comments: Array<{ id: string }>; next: string | null };
      seen.push(...page.comments.map((c) => c.id));
      next = page.next;
    }
    expect(seen).toEqual(ids);
  });

  it("searches name, a whole email address (by its hash: records keep no address) and text case-insensitively, with LIKE wildcards taken literally", async () => {
    const byName = await createPending({ author: "Florence Nightingale" });
    const byEmail = await createPending({ email: "mary.seacole@example.org" });
    const byText = await createPending({ body: "Staffing at 100% is the goal." });
    await createPending({ body: "Nothing to see." });
    const search = async (q: string) => ((await (await admin(`/comments?q=${encodeURIComponent(q)}`)).json()) as { comments: Array<{ id: string }> }).comments.map((c) => c.id);
    expect(await search("nightingale")).toEqual([byName]);
    expect(await search("Mary.SEACOLE@example.org")).toEqual([byEmail]);
    expect(await search("seacole@")).toEqual([]);
    expect(await search("100%")).toEqual([byText]);
    expect(await search("%")).toEqual([byText]);
    expect(await search("_")).toEqual([]);
  });

  it("shows the comment each one replies to", async () => {
    const parent = await createApproved({ author: "Parent Author", body: "The parent's words." });
    const child = await createPending({ parentId: parent });
    const { comments } = (await (await admin("/comments?status=pending")).json()) as { comments: Array<{ id: string; parent: unknown }> };
    expect(comments.find((c) => c.id === child)?.parent).toEqual({ id: parent, author: "Parent Author", excerpt: "The parent's words." });
    const approved = (await (await admin("/comments?status=approved")).json()) as { comments: Array<{ parent: unknown }> };
    expect(approved.comments[0]?.parent).toBeNull();
  });

  it("answers the whole list when asked without limit or cursor, and 50 a page with a cursor alone", async () => {
    for (let i = 0; i < 52; i++) await createPending({ body: `Many ${i}.` });
    const all = (await (await admin("/comments")).json()) as { comments: unknown[]; next: string | null };
    expect([all.comments.length, all.next]).toEqual([52, null]);
    const first = (await (await admin("/comments?limit=1")).json()) as { next: string };
    const rest = (await (await admin(`/comments?cursor=${encodeURIComponent(first.next)}`)).json()) as { comments: unknown[]; next: string | null };
    expect(rest.comments).toHaveLength(50);
    expect(rest.next).not.toBeNull();
  });

  it("takes a search of 200 characters and refuses 201", async () => {
    expect((await admin(`/comments?q=${"q".repeat(200)}`)).status).toBe(200);
    expect((await admin(`/comments?q=${"q".repeat(201)}`)).status).toBe(400);
  });

  it("refuses a limit of 0 or 201, and a made-up cursor", async () => {
    expect((await admin("/comments?limit=200")).status).toBe(200);
    for (const query of ["limit=0", "limit=201", "limit=ten", "cursor=nonsense"]) expect((await admin(`/comments?${query}`)).status).toBe(400);
  });
});

describe("POST /api/admin/comments/bulk", () => {
  it("acts on each id, reports each, publishes once, and audits each under the moderator", async () => {
    const a = await createPending();
    const b = await createPending();
    const response = await admin("/comments/bulk", json({ action: "approve", ids: [a, b, "01UNKNOWN"] }));
    expect(await response.json()).toEqual({
      results: [{ id: a, ok: true, status: "approved" }, { id: b, ok: true, status: "approved" }, { id: "01UNKNOWN", ok: false, error: expect.any(String) }],
    });
    expect((await getThread()).comments.map((c) => c.id)).toEqual([a, b]);
    expect((await auditLog()).slice(0, 2).map((e) => [e.action, e.id])).toEqual([["approve", b], ["approve", a]]);
  });

  it("deletes in bulk", async () => {
    const a = await createApproved();
    await admin("/comments/bulk", json({ action: "delete", ids: [a] }));
    expect((await getThread()).comments).toEqual([]);
    expect((await auditLog())[0]).toMatchObject({ action: "delete", id: a, from: "approved", to: "deleted" });
  });

  it(`takes ${BULK_MAX_IDS} ids and refuses ${BULK_MAX_IDS + 1} or none, naming the field`, async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `01MISSING${i}`);
    expect((await admin("/comments/bulk", json({ action: "spam", ids: ids(BULK_MAX_IDS) }))).status).toBe(200);
    for (const n of [BULK_MAX_IDS + 1, 0]) {
      const response = await admin("/comments/bulk", json({ action: "spam", ids: ids(n) }));
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({ fields: { ids: expect.any(String) } });
    }
    expect(await (await admin("/comments/bulk", json({ action: "publish", ids: ["x"] }))).json()).toMatchObject({ fields: { action: expect.any(String) } });
  });
});

describe("PATCH /api/admin/comments/:id", () => {
  it("fixes the text, republishes it, and keeps the original in the audit entry until the comment is deleted", async () => {
    const id = await createApproved({ body: "Teh original." });
    const response = await admin(`/comments/${id}`, json({ body: "The original." }, "PATCH"));
    expect(await response.json()).toMatchObject({ id, body: "The original.", status: "approved" });
    expect((await getThread()).comments[0]?.body).toBe("The original.");
    expect((await auditLog())[0]).toMatchObject({ action: "edit", id, detail: { body: "Teh original." } });
    await admin(`/comments/${id}`, { method: "DELETE" });
    const log = JSON.stringify(await auditLog());
    expect(log).not.toContain("Teh original.");
    expect(log).not.toContain("The original.");
    expect((await auditLog()).filter((e) => e.id === id).map((e) => e.action)).toEqual(["delete", "edit", "approve"]);
  });

  it("refuses an empty text (422) and answers 404 for an unknown comment", async () => {
    const id = await createPending();
    expect(await (await admin(`/comments/${id}`, json({ body: "  " }, "PATCH"))).json()).toMatchObject({ fields: { body: expect.any(String) } });
    expect((await admin("/comments/01UNKNOWN", json({ body: "x" }, "PATCH"))).status).toBe(404);
  });
});

describe("POST /api/admin/comments/:id/reply", () => {
  it("publishes the blog's reply at once under BLOG_AUTHOR_NAME with the Author badge", async () => {
    const parent = await createApproved();
    const response = await admin(`/comments/${parent}/reply`, json({ body: "Thank you for this." }));
    expect(response.status).toBe(201);
    const reply = (await response.json()) as { id: string };
    expect(reply).toMatchObject({ parentId: parent, post: POST, status: "approved", byBlog: true, author: "NHS Leadership Academy", email: null });
    expect((await getThread()).comments.find((c) => c.id === reply.id)).toMatchObject({ byBlog: true, parentId: parent });
    expect((await auditLog())[0]).toMatchObject({ moderator: "owner", action: "reply", id: reply.id, from: null, to: "approved" });
  });

  it("answers 404 when the comment replied to is not approved", async () => {
    const pending = await createPending();
    expect((await admin(`/comments/${pending}/reply`, json({ body: "Hello." }))).status).toBe(404);
  });
});

describe("POST /api/admin/comments/:id/block", () => {
  it("marks the comment spam and sends the commenter's next comment to spam, in one audited action", async () => {
    const id = await createApproved({ email: "pest@example.org" });
    const response = await admin(`/comments/${id}/block`, { method: "POST" });
    expect(await response.json()).toMatchObject({ id, status: "spam", rule: { kind: "email", action: "spam" } });
    const { rules } = (await (await admin("/rules")).json()) as { rules: Array<{ value: string }> };
    expect(JSON.stringify(rules)).not.toContain("pest@example.org");
    const next = await createPending({ email: "PEST@example.org" });
    expect((await (await admin(`/comments/${next}`)).json()) as object).toMatchObject({ comment: { status: "spam" } });
    expect((await auditLog()).find((e) => e.id === id && e.action === "block")).toMatchObject({ from: "approved", to: "spam" });
  });
});

describe("/api/admin/rules", () => {
  const addRule = (rule: unknown) => admin("/rules", json(rule));

  it("holds a comment a word rule finds even when its author is trusted, and spam wins over hold", async () => {
    await createApproved({ email: "regular@example.org" });
    expect((await addRule({ kind: "word", value: "Casino", action: "hold" })).status).toBe(201);
    const vars = { AUTO_APPROVE_RETURNING: "true" };
    const held = await (await submit(validComment({ email: "regular@example.org", body: "Try the CASINO." }), { vars })).json() as { status: string };
    expect(held.status).toBe("pending");
    const returning = await (await submit(validComment({ email: "regular@example.org", body: "Fine words." }), { vars })).json() as { status: string };
    expect(returning.status).toBe("approved");
    await addRule({ kind: "links", value: 1, action: "spam" });
    const spam = await createPending({ body: "casino https://a.example https://b.example" });
    expect(((await (await admin(`/comments/${spam}`)).json()) as { comment: { status: string } }).comment.status).toBe("spam");
    const oneLink = await createPending({ body: "see https://a.example" });
    expect(((await (await admin(`/comments/${oneLink}`)).json()) as { comment: { status: string } }).comment.status).toBe("pending");
  });

  it("holds a first comment from an email with no approved comment, and is listed, removed and audited", async () => {
    const created = (await (await addRule({ kind: "first-comment", action: "spam" })).json()) as { id: string };
    const first = await createPending({ email: "new@example.org" });
    expect(((await (await admin(`/comments/${first}`)).json()) as { comment: { status: string } }).comment.status).toBe("spam");
    expect(((await (await admin("/rules")).json()) as { rules: Array<{ id: string }> }).rules.map((r) => r.id)).toEqual([created.id]);
    expect((await admin(`/rules/${created.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await admin(`/rules/${created.id}`, { method: "DELETE" })).status).toBe(404);
    const second = await createPending({ email: "new@example.org" });
    expect(((await (await admin(`/comments/${second}`)).json()) as { comment: { status: string } }).comment.status).toBe("pending");
    expect((await auditLog()).map((e) => e.action).filter((a) => a.startsWith("rule"))).toEqual(["rule-remove", "rule-add"]);
  });

  it(`takes a word of ${RULE_VALUE_MAX} characters and refuses ${RULE_VALUE_MAX + 1}, a bad email and a negative count`, async () => {
    expect((await addRule({ kind: "word", value: "w".repeat(RULE_VALUE_MAX) })).status).toBe(201);
    for (const rule of [{ kind: "word", value: "w".repeat(RULE_VALUE_MAX + 1) }, { kind: "email", value: "not-an-email" }, { kind: "links", value: -1 }, { kind: "links", value: "1001" }]) {
      const response = await addRule(rule);
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({ fields: { value: expect.any(String) } });
    }
    expect(await (await addRule({ kind: "ip", value: "x" })).json()).toMatchObject({ error: "validation_failed" });
  });
});

describe("GET /api/admin/audit", () => {
  it("lists newest first and pages back with before", async () => {
    const id = await createPending({ post: OTHER_POST });
    await admin(`/comments/${id}/approve`, { method: "POST" });
    await admin(`/comments/${id}/reject`, { method: "POST" });
    const [newest, older] = await auditLog("?limit=2");
    expect([newest?.action, older?.action]).toEqual(["reject", "approve"]);
    expect(newest).toMatchObject({ id, post: OTHER_POST, from: "approved", to: "rejected", at: expect.any(String) });
    expect(await auditLog(`?before=${older!.seq}`)).toEqual([]);
    expect((await admin("/audit?limit=0")).status).toBe(400);
    expect((await admin("/audit?limit=500")).status).toBe(200);
    expect((await admin("/audit?limit=501")).status).toBe(400);
    expect((await admin("/audit?before=x")).status).toBe(400);
  });

  it("keeps no comment text in the entries of a deleted comment", async () => {
    const id = await createApproved({ body: "Secret-ish words 9f2c." });
    await admin(`/comments/${id}`, { method: "DELETE" });
    expect(JSON.stringify(await auditLog())).not.toContain("9f2c");
  });
});
