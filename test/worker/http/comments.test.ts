import { env, exports } from "cloudflare:workers";
import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_SUBMISSION_BYTES } from "../../../worker/intake/schema.ts";
import { ledgerOf } from "../../../worker/http/context.ts";
import { FakeClock, KvDouble } from "../kv-double.ts";
import { textRevision } from "../../../worker/publish/thread.ts";
import {
  admin,
  call,
  countingKv,
  createApproved,
  createPending,
  dumpKv,
  getThread,
  OTHER_POST,
  POST,
  randomIp,
  SITE,
  submit,
  submitForm,
  validComment,
} from "../helpers.ts";

afterEach(() => reset());

describe("GET /api/comments", () => {
  it("answers 400 when the post parameter is missing", async () => {
    const response = await call("/api/comments");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "bad_request" });
  });

  it("answers 404 for a post that is not published", async () => {
    const response = await call("/api/comments?post=no-such-post");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: "not_found" });
  });

  it("returns an empty thread for a post nobody has commented on", async () => {
    expect(await getThread(OTHER_POST)).toEqual({ post: OTHER_POST, count: 0, comments: [] });
  });

  it("returns approved comments oldest first with only the public fields", async () => {
    const first = await createApproved({ author: "First", website: "https://first.example" });
    const second = await createApproved({ author: "Second" });
    const thread = await getThread();
    expect(thread.count).toBe(2);
    expect(thread.comments.map((c) => c.id)).toEqual([first, second]);
    expect(Object.keys(thread.comments[0]!).sort()).toEqual(["author", "body", "content", "createdAt", "id", "parentId", "revision", "website"]);
    expect(thread.comments[0]).toMatchObject({ author: "First", website: "https://first.example", parentId: null });
    expect(new Date(thread.comments[0]!.createdAt).toISOString()).toBe(thread.comments[0]!.createdAt);
  });

  it("never shows pending or rejected comments", async () => {
    await createPending({ body: "still pending" });
    const rejected = await createPending({ body: "rejected one" });
    await admin(`/comments/${rejected}/reject`, { method: "POST" });
    expect((await getThread()).comments).toEqual([]);
  });

  it("shows an approval to the next reader although the thread was cached", async () => {
    const id = await createPending();
    expect((await getThread()).count).toBe(0);
    await admin(`/comments/${id}/approve`, { method: "POST" });
    expect((await getThread()).comments.map((c) => c.id)).toEqual([id]);
  });

  it("costs at most one KV read and no KV write when the cache misses", async () => {
    await createApproved();
    const { ns, ops } = countingKv();
    const response = await call(`/api/comments?post=${POST}`, {}, { COMMENTS: ns }, "https://uncached.example");
    expect(response.status).toBe(200);
    expect(ops).toMatchObject({ get: 1, put: 0, delete: 0, list: 0 });
  });

  it("answers a repeated request from the cache without reading KV", async () => {
    await createApproved();
    await call(`/api/comments?post=${POST}`);
    const { ns, ops } = countingKv();
    const response = await call(`/api/comments?post=${POST}`, {}, { COMMENTS: ns });
    expect((await response.json()) as object).toMatchObject({ count: 1 });
    expect(ops.get).toBe(0);
  });

  it("tells browsers to ask again each time, so a reload shows a new approval", async () => {
    for (let i = 0; i < 2; i++) {
      const response = await call(`/api/comments?post=${POST}`);
      expect(response.headers.get("cache-control")).toBe("no-cache");
      expect(response.headers.get("content-type")).toBe("application/json");
    }
  });

  it("gives each comment its text as Markdown rendered to the allow-listed tree, and the text as written", async () => {
    const body = "**bold** `code` <script>alert(1)</script>\n\n- item\n- [link](https://example.org/x)";
    await createApproved({ body });
    const [comment] = (await getThread()).comments;
    expect(comment!.body).toBe(body);
    expect(comment!.content).toEqual([
      { tag: "p", attrs: {}, children: [{ tag: "strong", attrs: {}, children: ["bold"] }, " ", { tag: "code", attrs: {}, children: ["code"] }, " <script>alert(1)</script>"] },
      { tag: "ul", attrs: {}, children: [
        { tag: "li", attrs: {}, children: ["item"] },
        { tag: "li", attrs: {}, children: [{ tag: "a", attrs: { href: "https://example.org/x", rel: "nofollow ugc noopener" }, children: ["link"] }] },
      ] },
    ]);
  });

  it("renders a thread published before comments had a content tree when it is read", async () => {
    const old = { id: "old-1", parentId: null, author: "Old", website: null, body: "*still* here", createdAt: "2012-08-23T12:00:00.000Z" };
    await env.COMMENTS.put(`v1:thread:${POST}`, JSON.stringify([old]));
    const [comment] = (await getThread()).comments;
    expect(comment).toEqual({ ...old, content: [{ tag: "p", attrs: {}, children: [{ tag: "em", attrs: {}, children: ["still"] }, " here"] }], revision: textRevision(old.body) });
  });

  it("never gives a reader the Author badge, whatever the submission claims", async () => {
    await createApproved({ author: "Claimant", byBlog: true, format: "html", body: "<b>not html</b>", content: [{ tag: "script", attrs: {}, children: [] }], role: "author" });
    const [comment] = (await getThread()).comments;
    expect(comment).not.toHaveProperty("byBlog");
    expect(comment!.content).toEqual([{ tag: "p", attrs: {}, children: ["<b>not html</b>"] }]);
    const stored = JSON.parse((await env.COMMENTS.get(`v1:comment:${comment!.id}`))!) as Record<string, unknown>;
    expect(stored).not.toHaveProperty("byBlog");
    expect(stored).not.toHaveProperty("format");
  });
});

describe("GET /api/comments/counts", () => {
  it("counts approved comments for each post asked for", async () => {
    await createApproved();
    await createApproved();
    await createPending();
    const response = await call(`/api/comments/counts?post=${POST}&post=${OTHER_POST}`);
    expect(await response.json()).toEqual({ counts: { [POST]: 2, [OTHER_POST]: 0 } });
  });

  it("counts every published post when none is named", async () => {
    await createApproved({ post: OTHER_POST });
    const response = await call("/api/comments/counts");
    expect(await response.json()).toEqual({ counts: { [POST]: 0, [OTHER_POST]: 1 } });
  });

  it("answers 0 for a post it does not know, without failing the others", async () => {
    const response = await call("/api/comments/counts?post=__proto__&post=unknown");
    expect(await response.text()).toBe('{"counts":{"__proto__":0,"unknown":0}}');
  });

  it("answers 400 when asked for more than 100 posts", async () => {
    const query = Array.from({ length: 101 }, (_, i) => `post=p${i}`).join("&");
    expect((await call(`/api/comments/counts?${query}`)).status).toBe(400);
  });

  it("costs one KV read", async () => {
    const { ns, ops } = countingKv();
    await call(`/api/comments/counts?post=${POST}`, {}, { COMMENTS: ns });
    expect(ops).toMatchObject({ get: 1, put: 0, list: 0 });
  });
});

describe("GET /api/comments/all", () => {
  it("returns every published post's thread in one response", async () => {
    const id = await createApproved({ post: OTHER_POST });
    await createPending();
    const body = (await (await call("/api/comments/all")).json()) as { posts: Record<string, { count: number; title: string; comments: Array<{ id: string }> }> };
    expect(body.posts[POST]).toMatchObject({ count: 0, title: "Local leadership capabilities", comments: [] });
    expect(body.posts[OTHER_POST]).toMatchObject({ count: 1, url: "/posts/system-leadership-matters/" });
    expect(body.posts[OTHER_POST]!.comments.map((c) => c.id)).toEqual([id]);
  });

  it("says which publication version its threads are, and a later action answers a later version", async () => {
    const read = async () => (await (await call("/api/comments/all")).json()) as { version: number; posts: Record<string, { comments: Array<{ id: string }> }> };
    const id = await createApproved();
    const before = await read();
    expect(before.posts[POST]!.comments.map((c) => c.id)).toContain(id);
    expect((await admin(`/comments/${id}`, { method: "DELETE" })).status).toBe(204);
    const after = await read();
    expect(after.version).toBe(before.version + 1);
    expect(after.posts[POST]!.comments.map((c) => c.id)).not.toContain(id);
  });

  it("returns the threads of the version it names even while KV still serves an older copy", async () => {
    const id = await createApproved({ post: OTHER_POST });
    // A KV that shows nothing written in the last minute, as a far location may: the answer must not depend on it.
    const stale = new KvDouble(new FakeClock(), () => 60_000);
    const response = await call("/api/comments/all", {}, { COMMENTS: stale.binding }, "https://far-away.example");
    const body = (await response.json()) as { version: number; posts: Record<string, { comments: Array<{ id: string }> }> };
    expect(body.version).toBe(await ledgerOf(env).publishedComments().then((published) => published.version));
    expect(body.posts[OTHER_POST]!.comments.map((c) => c.id)).toContain(id);
    expect(stale.calls.get).toBe(0);
  });
});

describe("POST /api/comments (JSON)", () => {
  it("accepts a valid comment as pending and puts it in the moderation queue", async () => {
    const response = await submit(validComment({ website: "https://ada.example" }));
    expect(response.status).toBe(202);
    const { id, status } = (await response.json()) as { id: string; status: string };
    expect(status).toBe("pending");
    expect(id).toMatch(/^[0-9A-Z]{26}$/);
    const queue = (await (await admin("/comments?status=pending")).json()) as { comments: unknown[] };
    expect(queue.comments).toEqual([
      expect.objectContaining({ id, post: POST, email: null, website: "https://ada.example", status: "pending", moderatedAt: null }),
    ]);
  });

  it("writes only the new comment's own key", async () => {
    const { ns, ops } = countingKv();
    const response = await submit(validComment(), { vars: { COMMENTS: ns } });
    const { id } = (await response.json()) as { id: string };
    expect(ops.written).toEqual([`v1:comment:${id}`]);
    expect(ops.list).toBe(0);
  });

  it("gives ids that sort in submission order", async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await createPending());
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect([...ids].sort()).toEqual(ids);
  });

  it("answers 400 for malformed JSON", async () => {
    const response = await submit('{"post": "x",');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "bad_request", message: "The request body is not valid JSON." });
  });

  it("answers 400 for JSON that is not an object", async () => {
    for (const body of ["[]", '"text"', "null", "42"]) expect((await submit(body)).status).toBe(400);
  });

  it("answers 415 for a content type other than JSON or the form", async () => {
    for (const type of ["text/plain", "multipart/form-data; boundary=x", "application/xml", ""]) {
      const response = await call("/api/comments", { method: "POST", headers: { "content-type": type, origin: SITE }, body: JSON.stringify(validComment()) });
      expect(response.status).toBe(415);
      expect(await response.json()).toMatchObject({ error: "unsupported_media_type" });
    }
  });

  it("accepts JSON with a charset parameter", async () => {
    const response = await call("/api/comments", {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", "cf-connecting-ip": randomIp() },
      body: JSON.stringify(validComment()),
    });
    expect(response.status).toBe(202);
  });

  it(`accepts a body of exactly ${MAX_SUBMISSION_BYTES} bytes and answers 413 for one byte more`, async () => {
    const body = (padding: number) => JSON.stringify({ ...validComment({ body: "漢".repeat(5000) }), padding: "x".repeat(padding) });
    const exact = body(MAX_SUBMISSION_BYTES - new TextEncoder().encode(body(0)).length);
    expect(new TextEncoder().encode(exact).length).toBe(MAX_SUBMISSION_BYTES);
    expect((await submit(exact)).status).toBe(202);
    const response = await submit(`${exact} `);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: "payload_too_large" });
  });

  it("answers 413 for an oversized body sent without Content-Length (chunked)", async () => {
    const chunk = new TextEncoder().encode("x".repeat(4096));
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await call("/api/comments", { method: "POST", headers: { "content-type": "application/json" }, body: stream });
    expect(response.status).toBe(413);
  });

  it("answers 422 naming every failing field", async () => {
    const response = await submit({ post: POST, author: "", email: "nope", website: "javascript:alert(1)", body: " " });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: string; fields: Record<string, string> };
    expect(body.error).toBe("validation_failed");
    expect(Object.keys(body.fields).sort()).toEqual(["author", "body", "email", "website"]);
  });

  it("answers 404 for a post that is not published", async () => {
    const response = await submit(validComment({ post: "no-such-post" }));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: "not_found", fields: { post: expect.any(String) } });
  });

  it("accepts a reply to an approved comment on the same post and nests it", async () => {
    const parent = await createApproved();
    const reply = await createApproved({ parentId: parent, body: "A reply" });
    expect((await getThread()).comments.map((c) => [c.id, c.parentId])).toEqual([[parent, null], [reply, parent]]);
  });

  it("answers 404 for a reply to an unknown, unapproved or other post's comment", async () => {
    const pending = await createPending();
    const elsewhere = await createApproved({ post: OTHER_POST });
    for (const parentId of ["01UNKNOWN", pending, elsewhere]) {
      const response = await submit(validComment({ parentId }));
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: "not_found", fields: { parentId: expect.any(String) } });
    }
  });

  it("answers 403 to a browser on another origin and stores nothing", async () => {
    for (const origin of ["https://evil.example", "null", "http://localhost:8081"]) {
      const response = await submit(validComment(), { origin });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: "origin_not_allowed" });
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
    }
    expect(await dumpKv()).toBe("");
  });

  it("accepts a client that sends no Origin (not a browser)", async () => {
    expect((await submit(validComment(), { origin: null })).status).toBe(202);
  });

  it("lets the blog's script read errors (CORS headers on a 422)", async () => {
    const response = await submit({});
    expect(response.status).toBe(422);
    expect(response.headers.get("access-control-allow-origin")).toBe(SITE);
  });

  it("keeps the commenter's email and IP out of every public response", async () => {
    const ip = "198.51.100.77";
    const email = "secret.reader@example.org";
    const id = await createPending({ email }, { ip });
    await admin(`/comments/${id}/approve`, { method: "POST" });
    const pages = [`/api/comments?post=${POST}`, "/api/comments/counts", "/api/comments/all"];
    for (const page of pages) {
      const text = await (await call(page)).text();
      expect(text).toContain(page.includes("counts") ? POST : id);
      expect(text).not.toContain(email);
      expect(text).not.toContain(ip);
      expect(text).not.toMatch(/status|moderatedAt|email/);
    }
  });

  it("stores no raw IP anywhere", async () => {
    const ip = "198.51.100.23";
    await createPending({}, { ip });
    expect(await dumpKv()).not.toContain(ip);
  });

  it("keeps every one of 200 concurrent submissions to one post", async () => {
    const total = 200;
    const responses = await Promise.all(
      Array.from({ length: total }, (_, i) =>
        exports.default.fetch("https://comments.example/api/comments", {
          method: "POST",
          headers: { "content-type": "application/json", origin: SITE, "cf-connecting-ip": `10.0.${Math.floor(i / 250)}.${i % 250}` },
          body: JSON.stringify(validComment({ author: `Reader ${i}`, body: `Comment number ${i}` })),
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(total).fill(202));
    const ids = await Promise.all(responses.map(async (r) => ((await r.json()) as { id: string }).id));
    expect(new Set(ids).size).toBe(total);
    const queue = (await (await admin(`/comments?status=pending&post=${POST}`)).json()) as { comments: Array<{ id: string }> };
    expect(new Set(queue.comments.map((c) => c.id))).toEqual(new Set(ids));
    expect((await env.COMMENTS.list({ prefix: "v1:comment:" })).keys).toHaveLength(total);
  });
});

describe("POST /api/comments (the form without JavaScript)", () => {
  const form = (overrides: Record<string, string> = {}) => ({
    post: POST, parentId: "", body: "Posted without JavaScript", author: "Ada", email: "ada@example.org", website: "", reference: "", ...overrides,
  });

  it("redirects (303) back to the post's page with the notice fragment", async () => {
    const response = await submitForm(form());
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${SITE}/posts/${POST}/#comment-submitted`);
    const queue = (await (await admin("/comments?status=pending")).json()) as { comments: Array<{ body: string; website: string | null }> };
    expect(queue.comments).toEqual([expect.objectContaining({ body: "Posted without JavaScript", website: null })]);
  });

  it("never redirects to an address taken from the request", async () => {
    const response = await call("/api/comments", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: SITE, referer: "https://evil.example/", host: "evil.example", "cf-connecting-ip": randomIp() },
      body: new URLSearchParams(form({ redirect_to: "https://evil.example/", url: "//evil.example" })).toString(),
      redirect: "manual",
    });
    expect(response.headers.get("location")).toBe(`${SITE}/posts/${POST}/#comment-submitted`);
  });

  it("stores the textarea's CRLF line breaks as LF", async () => {
    await submitForm(form({ body: "line one\r\nline two" }));
    const queue = (await (await admin("/comments")).json()) as { comments: Array<{ body: string }> };
    expect(queue.comments[0]!.body).toBe("line one\nline two");
  });

  it("answers 422 with an HTML page naming each problem and linking back to the post", async () => {
    const response = await submitForm(form({ author: "", email: "not-an-email", body: "" }));
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).toContain("<strong>Name:</strong> Enter your name.");
    expect(html).toContain("<strong>Email:</strong> Enter a valid email address");
    expect(html).toContain("<strong>Comment:</strong> Write a comment.");
    expect(html).toContain(`<a href="${SITE}/posts/${POST}/#respond">Go back</a>`);
    expect(html).toContain("Back button");
  });

  it("escapes the reader's input on the error page", async () => {
    const response = await submitForm(form({ website: '"><script>alert(1)</script>' }));
    const html = await response.text();
    expect(response.status).toBe(422);
    expect(html).not.toContain("<script>");
  });

  it("answers an unknown post with an HTML page linking to the site", async () => {
    const response = await submitForm(form({ post: "no-such-post" }));
    expect(response.status).toBe(404);
    expect(await response.text()).toContain(`<a href="${SITE}/">Go back</a>`);
  });
});

describe("OPTIONS /api/comments (CORS preflight)", () => {
  const preflight = (origin: string) =>
    call("/api/comments", {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });

  it("allows the blog's origins to post JSON", async () => {
    for (const origin of ["http://localhost:8080", "http://127.0.0.1:8080"]) {
      const response = await preflight(origin);
      expect(response.status).toBe(204);
      expect(response.headers.get("access-control-allow-origin")).toBe(origin);
      expect(response.headers.get("access-control-allow-methods")).toBe("GET,POST,PATCH,DELETE,OPTIONS");
      expect(response.headers.get("access-control-allow-headers")).toBe("Content-Type,Authorization");
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });

  it("refuses other origins with 403 and no CORS grant", async () => {
    for (const origin of ["https://evil.example", "null", "http://localhost:8080.evil.example"]) {
      const response = await preflight(origin);
      expect(response.status).toBe(403);
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
    }
  });

  it("grants reads only to the blog's origins", async () => {
    const allowed = await call(`/api/comments?post=${POST}`, { headers: { origin: SITE } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe(SITE);
    expect(allowed.headers.get("vary")).toContain("Origin");
    const other = await call(`/api/comments?post=${POST}`, { headers: { origin: "https://evil.example" } });
    expect(other.status).toBe(200);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});
