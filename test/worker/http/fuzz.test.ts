// Property-based fuzzing of the public API: thousands of generated requests through the real app and real
// local KV. Whatever arrives: never a 5xx or an uncaught exception, exact Content-Type and nosniff, nothing invalid
// stored, refused requests write nothing, no public response carries an email or anything unapproved, and the
// no-JavaScript redirect goes nowhere but the blog. The moderator API: admin-fuzz.test.ts. The seed is printed;
// replay a failure with VITE_FUZZ_SEED=<seed> (fuzz-harness.ts).
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { listPosts } from "../../../worker/intake/posts.ts";
import { ImportItemSchema, validate } from "../../../worker/intake/schema.ts";
import { entriesToForm, entriesToJson, type FuzzRequest, importItem, isoDateLike, publicMethod, publicPath, submissionEntries } from "../fuzz-arbitraries.ts";
import {
  check, leakProblems, REDIRECTS, request, responseProblems, runs, SEED, send, storeProblems, submissionWriteProblems, useSeededStore,
} from "../fuzz-harness.ts";
import { POST, SITE, TOKEN } from "../helpers.ts";

useSeededStore();

describe("fuzzing the public API", () => {
  it("answers thousands of hostile requests without a 5xx, a leak or a stray write", async () => {
    await check(
      fc.asyncProperty(request(publicPath, publicMethod), async (req) => {
        const sent = await send(req);
        expect([...responseProblems(sent), ...leakProblems(sent.text), ...(await submissionWriteProblems(sent))]).toEqual([]);
      }),
      runs(3000),
    );
    expect(await storeProblems()).toEqual([]);
  }, 120_000);
});

/** The fields as the server reads them: JSON keeps the last of duplicate keys, the form the first (own keys only). */
function fieldsAsSent(req: FuzzRequest): Record<string, unknown> {
  if (req.headers["content-type"] === "application/json") return JSON.parse(req.body as string) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(req.body as string)) if (!(key in fields)) fields[key] = value;
  return fields;
}

const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const CONTROL_EXCEPT_NEWLINE_TAB = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const blank = (value: unknown) => value === undefined || value === null || (typeof value === "string" && value.trim() === "");

/** An oracle written apart from worker/intake/schema.ts: fields that are plainly wrong whatever the schema says. */
function plainlyInvalid(fields: Record<string, unknown>): string | null {
  const { post, author, email, website, body, parentId } = fields;
  if (typeof post !== "string" || !listPosts().some((p) => p.slug === post.trim())) return "post";
  if (typeof author !== "string" || author.trim() === "" || author.trim().length > 100 || CONTROL.test(author.trim()) || !author.isWellFormed()) return "author";
  if (typeof email !== "string" || !email.includes("@") || email.trim().length > 254) return "email";
  if (!blank(website) && (typeof website !== "string" || !/^https?:\/\//i.test(website.trim()) || website.trim().length > 200)) return "website";
  const text = typeof body === "string" ? body.replace(/\r\n?/g, "\n").trim() : "";
  if (text === "" || text.length > 5000 || CONTROL_EXCEPT_NEWLINE_TAB.test(text) || !text.isWellFormed()) return "body";
  const repliesTo = typeof parentId === "string" && ["seed-approved", "seed-reply"].includes(parentId.trim()) && post.trim() === POST;
  if (!blank(parentId) && !repliesTo) return "parentId";
  return null;
}

describe("fuzzing submissions (POST /api/comments)", () => {
  it("stores exactly the valid comments, normalised, and refuses the rest without writing", async () => {
    const submission = fc.record({ entries: submissionEntries, asForm: fc.boolean(), origin: fc.constantFrom(undefined, SITE), ip: fc.ipV4() });
    await check(
      fc.asyncProperty(submission.map(({ entries, asForm, origin, ip }) => ({
        method: "POST", target: "/api/comments", body: asForm ? entriesToForm(entries) : entriesToJson(entries),
        headers: { "content-type": asForm ? "application/x-www-form-urlencoded" : "application/json", "cf-connecting-ip": ip, ...(origin ? { origin } : {}) },
      })), async (req) => {
        const asForm = req.headers["content-type"] !== "application/json";
        const sent = await send(req);
        const fields = fieldsAsSent(req);
        const problems = [...responseProblems(sent), ...leakProblems(sent.text), ...(await submissionWriteProblems(sent))];
        const honeypot = fields.reference !== undefined && fields.reference !== null && fields.reference !== "";
        const invalid = plainlyInvalid(fields);
        const ok = asForm ? 303 : 202;
        if (honeypot) {
          // A bot is answered as if it succeeded, unless its request was too large to read at all.
          if (![ok, 413].includes(sent.response.status) || sent.writes.length > 0) problems.push(`a filled honeypot got ${sent.response.status} and wrote ${sent.writes.length}`);
        } else if (invalid !== null) {
          if (sent.response.status < 400 || sent.writes.length > 0) problems.push(`invalid ${invalid} accepted with ${sent.response.status}`);
        } else if (sent.response.status === ok) {
          const record = (await env.COMMENTS.get<Record<string, unknown>>(sent.writes[0]!, "json"))!;
          const expected = {
            // The address is kept only as its hash (the key's metadata), never in the record.
            author: (fields.author as string).trim(), email: null,
            body: (fields.body as string).replace(/\r\n?/g, "\n").trim(), website: blank(fields.website) ? null : (fields.website as string).trim(),
          };
          for (const [key, value] of Object.entries(expected)) if (record[key] !== value) problems.push(`${key} stored as ${JSON.stringify(record[key])}`);
        }
        expect(problems).toEqual([]);
      }),
      runs(3000),
    );
    expect(await storeProblems()).toEqual([]);
  }, 120_000);
});

describe("fuzzing the import schema", () => {
  it("stores only what it would accept again unchanged, so every export can be imported back", () => {
    const item = fc.oneof(importItem, isoDateLike.map((createdAt) => ({ post: POST, author: "A", body: "B", createdAt, moderatedAt: createdAt })));
    fc.assert(
      fc.property(item, (candidate) => {
        const first = validate(ImportItemSchema, candidate);
        if (!first.ok) return;
        const again = validate(ImportItemSchema, first.value);
        expect(again.ok ? again.value : again.fields).toEqual(first.value);
      }),
      { seed: SEED, numRuns: runs(20_000) },
    );
  });

  it("refuses websites the URL parser reads differently from how they look (found by this fuzz test)", () => {
    for (const website of ["http:\\\\evil.example", "http:evil.example", "https:/evil.example", "http://evil.example\\@good.example"]) {
      expect(validate(ImportItemSchema, { post: POST, author: "A", body: "B", createdAt: "2012-01-01", website }).ok, website).toBe(false);
    }
    expect(validate(ImportItemSchema, { post: POST, author: "A", body: "B", createdAt: "2012-01-01", website: "HTTPS://Example.org/a" }).ok).toBe(true);
  });

  it("refuses a date that leaves years 0000-9999 once converted to UTC (found by this fuzz test)", () => {
    for (const createdAt of ["9999-12-31T23:59:59-23:59", "0000-01-01T00:00+01:00"]) {
      expect(validate(ImportItemSchema, { post: POST, author: "A", body: "B", createdAt }).ok, createdAt).toBe(false);
    }
    expect(validate(ImportItemSchema, { post: POST, author: "A", body: "B", createdAt: "9999-12-31T23:59:59Z" }).ok).toBe(true);
  });
});

describe("API response headers (every response of the fuzz runs is held to the same)", () => {
  it("gives each endpoint nosniff and its exact Content-Type", async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const cases: Array<[FuzzRequest, string | null]> = [
      [{ method: "GET", target: "/api/health", headers: {}, body: null }, "application/json"],
      [{ method: "GET", target: `/api/comments?post=${POST}`, headers: {}, body: null }, "application/json"],
      [{ method: "GET", target: "/api/comments/counts", headers: {}, body: null }, "application/json"],
      [{ method: "GET", target: "/api/comments/all", headers: {}, body: null }, "application/json"],
      [{ method: "GET", target: "/api/comments", headers: {}, body: null }, "application/json"],
      [{ method: "POST", target: "/api/comments", headers: { "content-type": "application/json" }, body: "{" }, "application/json"],
      [{ method: "POST", target: "/api/comments", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "post=x" }, "text/html; charset=UTF-8"],
      [{ method: "GET", target: "/api/admin/comments", headers: auth, body: null }, "application/json"],
      [{ method: "GET", target: "/api/admin/export", headers: auth, body: null }, "application/json"],
      [{ method: "GET", target: "/api/admin/comments", headers: {}, body: null }, "application/json"],
      [{ method: "DELETE", target: "/api/admin/comments/seed-pending", headers: auth, body: null }, null],
      [{ method: "GET", target: "/admin", headers: {}, body: null }, "text/html; charset=UTF-8"],
      [{ method: "GET", target: "/nowhere", headers: {}, body: null }, "application/json"],
    ];
    for (const [req, type] of cases) {
      const { response, text } = await send(req);
      expect(response.headers.get("x-content-type-options"), req.target).toBe("nosniff");
      expect(response.headers.get("content-type"), `${req.method} ${req.target}`).toBe(type);
      if (type === null) expect(text).toBe("");
    }
  });
});

describe("the no-JavaScript redirect", () => {
  it("goes only to SITE_URL plus a published post's address, whatever the request names", async () => {
    const hostile = ["https://evil.example/", "//evil.example", "/\\evil.example", `${POST}/../../../evil`, "javascript:alert(1)", `${POST}#@evil.example`, `${POST}?next=https://evil.example`];
    for (const post of [POST, ...hostile]) {
      for (const honeypot of ["", "bot"]) {
        const form = new URLSearchParams({ post, author: "Ada", email: "ada@example.org", body: "Hi", reference: honeypot, redirect_to: "https://evil.example/", next: "//evil.example" });
        const { response } = await send({
          method: "POST", target: "/api/comments?redirect=https://evil.example&return=//evil.example",
          headers: { "content-type": "application/x-www-form-urlencoded", origin: SITE, referer: "https://evil.example/", "x-forwarded-host": "evil.example", "cf-connecting-ip": "203.0.113.9" },
          body: form.toString(),
        });
        const location = response.headers.get("location");
        if (location !== null) expect(REDIRECTS.has(location), location).toBe(true);
        if (post === POST) expect(location).toBe(`${SITE}/posts/${POST}/#comment-submitted`);
      }
    }
  });
});
