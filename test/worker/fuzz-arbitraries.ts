// Generators for the fuzz tests (fast-check): whole HTTP requests with hostile methods, paths, query strings,
// headers, content types and bodies. Requests are plain data, so fast-check can print and shrink a counterexample.
import fc from "fast-check";
import { OTHER_POST, POST, SITE, TOKEN } from "./helpers.ts";

export interface FuzzRequest {
  method: string;
  /** Path and query string, appended to the test origin as they are (the URL parser encodes what it must). */
  target: string;
  headers: Record<string, string>;
  body: string | Uint8Array | null;
}

/** Ids the fuzz store is seeded with (see http/fuzz.test.ts), so generated admin actions hit real comments. */
export const SEEDED_IDS = ["seed-approved", "seed-pending", "seed-rejected", "seed-reply", "seed-legacy", "seed-wordpress", "seed-blog"];

/** Strings that broke comment systems before: controls, surrogates, bidi and zero-width marks, markup, odd URLs. */
const SPECIALS = [
  "", " ", "\u0000", "a\u0000b", "\ud800", "\udfff", "\udc00\ud800", "a\ud83db", "\u202e", "abc\u202edcba", "\u202d", "\u2066x\u2069",
  "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u2028", "\u2029", "\u0085", "\u00a0", "\r", "\n", "\r\n", "\n\n", "\t", "\u000b",
  "\u001b[2J", "\u007f", "\u009f", "\ufffd", "\uffff", "\u{10ffff}", "👩‍👩‍👧", "e\u0301", "ﷺ", "𒐫", "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
  "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'onmouseover='alert(1)", "javascript:alert(1)", " JaVaScRiPt:alert(1)",
  "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)", "//evil.example", "https://evil.example",
  "http://", "https://", "http://a", "https://example.org/p?q=1#f", "ftp://example.org", " https://example.org ", "http://[::1]:80/",
  "https://example.org/\u202e", "https://ex ample.org", "http:\\\\evil.example", "__proto__", "constructor", "prototype", "toString",
  "hasOwnProperty", "null", "undefined", "NaN", "[object Object]", "%00", "%", "%ZZ", "../../", "{{7*7}}", "${7*7}", "' OR 1=1 --",
  "reader@example.org", "a@b", "a@b.c", "\"quoted\"@example.org", "o'brien@example.org", "x@localhost", " a@b.co ", "a@b.co\u0000",
  POST, OTHER_POST, ` ${POST} `, POST.toUpperCase(), `${POST}/`, "no-such-post", ...SEEDED_IDS,
  "2012-08-23T12:00:00.000Z", "2012-08-23", "2012-02-30", "2012-01-01T25:00:00Z", "0000-01-01", "9999-12-31T23:59:59-23:59",
  "+275760-09-13T00:00:00Z", "1970-01-01T00:00:00+99:99", "pending", "approved", "rejected", "spam",
  // Formatting: Markdown and WordPress HTML with hostile parts, and the two formats' names.
  "**bold** _em_ `code` [link](https://example.org) [x](javascript:alert(1)) <https://x.example>", "- a\n  - b\n1. c\n> q\n```\n<b>\n```",
  '<b>b</b><a href="javascript:alert(1)">x</a><abbr title="t" onclick="x">a</abbr><ul><li>i<script>alert(1)</script>',
  "*".repeat(300) + "x", "<em>".repeat(200), ">".repeat(50) + " deep", "markdown", "html",
];

/** A code point from the whole range, lone surrogate halves included. */
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp));
/** A printable ASCII character for header values (workerd warns on every non-ASCII one, which floods the output). */
const headerChar = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));

export const edgeString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIALS) },
  { weight: 2, arbitrary: fc.string({ unit: anyCodePoint, maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 3, arbitrary: fc.array(fc.oneof(fc.constantFrom(...SPECIALS), fc.string({ maxLength: 8 })), { maxLength: 6 }).map((parts) => parts.join("")) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom("a", "漢", "😀", " ", "\n", "<", "\u200b"), fc.constantFrom(99, 100, 101, 199, 200, 201, 253, 254, 255, 4999, 5000, 5001, 9000))
      .map(([ch, n]) => ch.repeat(n)),
  },
);

const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(edgeString, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), edgeString, { maxKeys: 3 }), fc.constant({ toString: "x", valueOf: 1 }),
);

export const fieldValue: fc.Arbitrary<unknown> = fc.oneof({ weight: 6, arbitrary: edgeString }, { weight: 2, arbitrary: wrongType });

/** Percent-encodes every UTF-8 byte (a lone surrogate becomes U+FFFD, as a browser sends it). */
export const encodeAll = (s: string) => Array.from(new TextEncoder().encode(s), (b) => `%${b.toString(16).padStart(2, "0")}`).join("");

/** A path segment or query value: encoded, raw (the URL parser encodes it) or deliberately malformed. */
const urlPiece = fc.oneof(
  { weight: 3, arbitrary: edgeString.map(encodeAll) },
  { weight: 2, arbitrary: edgeString.map((s) => s.replace(/[/?#&=]/g, "")) },
  { weight: 1, arbitrary: fc.constantFrom("%", "%ZZ", "%E0%A4%A", "%00", "%ED%A0%80", "%C0%AF", "%2e%2e", "..", ".", "%2F", "x".repeat(5000)) },
);

const SEGMENTS = ["api", "comments", "admin", "counts", "all", "approve", "reject", "import", "export", "rebuild", "health", ...SEEDED_IDS];
const segment = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...SEGMENTS) }, { weight: 1, arbitrary: urlPiece });

export const query: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constant("") },
  {
    weight: 4,
    arbitrary: fc
      .array(fc.tuple(fc.oneof(fc.constantFrom("post", "status", "token", "access_token", "post[]", "__proto__"), urlPiece), fc.oneof(fc.constantFrom(POST, OTHER_POST, "", "pending", "approved", TOKEN), urlPiece)), { maxLength: 5 })
      .map((pairs) => `?${pairs.map(([key, value]) => `${key}=${value}`).join("&")}`),
  },
  { weight: 1, arbitrary: fc.constantFrom("?post", "?=", "?&&&", `?post=${POST}&post=${POST}`, `?${Array.from({ length: 101 }, (_, i) => `post=p${i}`).join("&")}`) },
);

const PUBLIC_PATHS = ["/api/comments", "/api/comments/counts", "/api/comments/all"];
const ODD_PATHS = [
  "/api/comments/", "/api/comments//counts", "/api/comments/counts/", "/API/comments", "/api/comments/../comments", "/api/comments%2fcounts",
  "/api/comments/all/x", "/api/health", "/", "/favicon.ico", "/admin", "/admin/admin.js", "/admin/admin.css", "/admin/x", "//api/comments", "/api//comments",
];
const randomPath = fc.array(segment, { maxLength: 4 }).map((parts) => `/${parts.join("/")}`);

export const publicPath: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...PUBLIC_PATHS) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_PATHS) },
  { weight: 1, arbitrary: fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => `/api/comments/${parts.join("/")}`) },
  { weight: 1, arbitrary: randomPath.filter((path) => !path.toLowerCase().startsWith("/api/admin")) },
);

const adminId = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SEEDED_IDS) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/) },
  { weight: 1, arbitrary: urlPiece },
);

export const adminPath: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("/api/admin/comments", "/api/admin/export", "/api/admin/import", "/api/admin/rebuild", "/api/admin", "/api/admin/", "/api/admin/comments/") },
  { weight: 2, arbitrary: fc.constantFrom("/api/admin/me", "/api/admin/moderators", "/api/admin/moderators/Ada", "/api/admin/rules", "/api/admin/rules/x", "/api/admin/audit", "/api/admin/comments/bulk") },
  { weight: 3, arbitrary: adminId.map((id) => `/api/admin/comments/${id}`) },
  { weight: 4, arbitrary: fc.tuple(adminId, fc.constantFrom("approve", "reject", "spam", "block", "reply", "APPROVE", "approve/", "x")).map(([id, action]) => `/api/admin/comments/${id}/${action}`) },
  { weight: 1, arbitrary: fc.array(segment, { maxLength: 3 }).map((parts) => `/api/admin/${parts.join("/")}`) },
);

/** Mostly the methods the public routes answer, so most requests get past routing. */
export const publicMethod: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom("GET", "POST") },
  { weight: 1, arbitrary: fc.constantFrom("OPTIONS", "HEAD", "PUT", "DELETE", "PATCH", "get", "post", "TRACE", "PROPFIND", "PURGE") },
);

export const method: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("GET", "POST", "DELETE", "OPTIONS", "HEAD", "PUT", "PATCH") },
  // Methods workerd's Request accepts (it refuses unknown tokens before a worker could see them).
  { weight: 1, arbitrary: fc.constantFrom("get", "post", "delete", "patch", "TRACE", "PROPFIND", "MKCOL", "COPY", "MOVE", "LOCK", "REPORT", "SEARCH", "PURGE") },
);

export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: headerChar, maxLength: 60 }),
  fc.constantFrom("", " ", "%00", "x".repeat(300)),
);

export const contentType: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      "application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "application/x-www-form-urlencoded",
      "application/x-www-form-urlencoded; charset=UTF-8", "text/plain", "text/plain;charset=UTF-8", "multipart/form-data; boundary=x",
      "application/xml", "application/ld+json", "application/json-patch+json", "", ";", "application/json;", " application/json ",
      "application/json, text/plain", "*/*", "application/json; charset=utf-16",
    ),
  },
  { weight: 1, arbitrary: headerValue },
);

export const origin: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(undefined, SITE, "http://127.0.0.1:8080") },
  {
    weight: 3,
    arbitrary: fc.constantFrom("https://evil.example", "null", "http://localhost:8080.evil.example", `${SITE}/`, "HTTP://LOCALHOST:8080", "", "file://", "http://localhost:80800", "https://localhost:8080"),
  },
  { weight: 1, arbitrary: headerValue },
);

/** A submission's fields as JSON entries (duplicate keys and `__proto__` kept), starting from a valid comment. */
export const submissionEntries: fc.Arbitrary<Array<[string, unknown]>> = fc
  .tuple(
    fc.subarray(["post", "author", "email", "body"]),
    fc.array(
      fc.tuple(
        fc.constantFrom("post", "author", "email", "website", "website", "body", "body", "parentId", "reference", "cf-turnstile-response", "status", "id", "createdAt", "__proto__", "extra", "byBlog", "format", "content"),
        fieldValue,
      ),
      { maxLength: 4 },
    ),
  )
  .map(([dropped, overrides]) => {
    const base: Array<[string, unknown]> = [["post", POST], ["author", "Ada Reader"], ["email", "ada@example.org"], ["body", "A fine comment."]];
    return [...base.filter(([key]) => !dropped.includes(key)), ...overrides];
  });

/** JSON text of entries, written by hand so duplicate keys and `__proto__` reach the server as sent. */
export const entriesToJson = (entries: Array<[string, unknown]>) =>
  `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? "null"}`).join(",")}}`;

/** The form encoding of entries, as a browser would send them (non-strings as their text). */
export const entriesToForm = (entries: Array<[string, unknown]>) =>
  entries.map(([key, value]) => `${encodeAll(key)}=${encodeAll(typeof value === "string" ? value : JSON.stringify(value) ?? "")}`).join("&");

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
/** ISO-8601-looking dates at and past every boundary: year 0 and 9999, month 13, day 32, hour 25, offsets past ±14:00. */
export const isoDateLike: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof({ weight: 2, arbitrary: fc.constantFrom(0, 9999) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 9999 }) }),
    fc.oneof(fc.constantFrom(0, 1, 12, 13), fc.integer({ min: 1, max: 12 })),
    fc.oneof(fc.constantFrom(0, 1, 29, 30, 31, 32), fc.integer({ min: 1, max: 28 })),
    fc.option(fc.tuple(fc.oneof(fc.constantFrom(0, 23, 24, 25), fc.integer({ min: 0, max: 23 })), fc.constantFrom(0, 59, 60), fc.constantFrom("", "Z", "+00:00", "-23:59", "+23:59", "+14:00", "-12:00", "+99:99", ".999Z", ":59.123456789+01:00"))),
  )
  .map(([y, m, d, time]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}${time ? `T${pad(time[0])}:${pad(time[1])}${time[2]}` : ""}`);

/** A hostile value for an import field: dates get date-shaped ones too. */
const importValue = (key: string): fc.Arbitrary<unknown> =>
  key === "createdAt" || key === "moderatedAt" ? fc.oneof(isoDateLike, fieldValue)
  : key === "format" ? fc.oneof(fc.constantFrom("markdown", "html"), fieldValue)
  : key === "byBlog" ? fc.oneof(fc.boolean(), fieldValue)
  : fieldValue;

/** An import entry: the export format with fields replaced by hostile values. */
export const importItem: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.constantFrom(POST, OTHER_POST),
    fc.option(fc.oneof(fc.constantFrom(...SEEDED_IDS), fc.stringMatching(/^fz-[a-z0-9]{1,6}$/)), { nil: undefined }),
    fc.oneof(
      { weight: 2, arbitrary: fc.constant<Array<[string, unknown]>>([]) },
      {
        weight: 3,
        arbitrary: fc.array(
          fc.constantFrom("id", "post", "parentId", "author", "email", "website", "body", "createdAt", "createdAt", "status", "moderatedAt", "moderatedAt", "extra", "format", "byBlog")
            .chain((key) => importValue(key).map((value): [string, unknown] => [key, value])),
          { minLength: 1, maxLength: 2 },
        ),
      },
    ),
  )
  .map(([post, id, overrides]) => {
    const item: Record<string, unknown> = { post, author: "Imported Reader", email: null, website: null, body: "Imported text.", createdAt: "2012-08-23T12:00:00.000Z" };
    if (id !== undefined) item.id = id;
    for (const [key, value] of overrides) Object.defineProperty(item, key, { value, enumerable: true, writable: true, configurable: true });
    return item;
  });

const DEEP = (n: number) => "[".repeat(n) + "]".repeat(n);
const DEEP_OBJECT = (n: number) => `{"post":`.repeat(n) + "1" + "}".repeat(n);
const HUGE_IMPORT = `[${" ".repeat(4 * 1024 * 1024)}]`;

/** A request body: broken JSON, deep nesting, huge strings, wrong types, raw bytes, or a (mutated) comment. */
export const body: fc.Arbitrary<string | Uint8Array | null> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 4, arbitrary: submissionEntries.map(entriesToJson) },
  { weight: 2, arbitrary: submissionEntries.map(entriesToForm) },
  { weight: 2, arbitrary: fc.array(importItem, { maxLength: 4 }).map((items) => JSON.stringify(items)) },
  { weight: 1, arbitrary: fc.string({ unit: anyCodePoint, maxLength: 200 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("{", "[", '{"post":', "{}", "[]", "null", "true", "0", '"x"', "\ufeff{}", '{"a":1}}', "[{},]", "{'post':1}", '{"post":"\\ud800"}', "\u0000"),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map(DEEP) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3_000 }).map(DEEP_OBJECT) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(16 * 1024 - 100, 16 * 1024, 16 * 1024 + 1, 20_000, 100_000).map((n) =>
      JSON.stringify({ post: POST, author: "Ada", email: "ada@example.org", body: "x".repeat(n) })),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.constant(HUGE_IMPORT) },
);

/** Extra headers a client may send: junk credentials, spoofed forwarding, cookies. */
export const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.constantFrom("authorization", "cookie", "x-forwarded-for", "x-real-ip", "host", "referer", "accept", "x-http-method-override", "sec-fetch-site", "access-control-request-method", "access-control-request-headers", "content-encoding", "transfer-encoding-x"),
  headerValue,
  { maxKeys: 4 },
);

/** Ids of comments the admin fuzz imports (few, so later actions find them and the store stays small). */
const importedId = fc.stringMatching(/^fz-[a-z0-9]$/);

/** Method, path and body that mostly reach a moderator route (with hostile parts), plus pure noise. */
export const adminRoute: fc.Arbitrary<{ method: string; path: string; body: string | Uint8Array | null; json: boolean }> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ method: fc.constant("POST"), path: fc.tuple(fc.oneof(adminId, importedId), fc.constantFrom("approve", "reject")).map(([id, action]) => `/api/admin/comments/${id}/${action}`), body: fc.constant(null), json: fc.constant(false) }) },
  { weight: 2, arbitrary: fc.record({ method: fc.constantFrom("DELETE", "GET"), path: fc.oneof(adminId, importedId).map((id) => `/api/admin/comments/${id}`), body: fc.constant(null), json: fc.constant(false) }) },
  { weight: 1, arbitrary: fc.record({ method: fc.constant("GET"), path: fc.constantFrom("/api/admin/comments", "/api/admin/export"), body: fc.constant(null), json: fc.constant(false) }) },
  { weight: 1, arbitrary: fc.record({ method: fc.constant("POST"), path: fc.constant("/api/admin/rebuild"), body: fc.constant(null), json: fc.constant(false) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      method: fc.constant("POST"), path: fc.constant("/api/admin/import"), json: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
      body: fc.array(fc.tuple(importedId, importItem).map(([id, item]) => ("id" in item ? item : { id, ...item })), { maxLength: 5 }).map((items) => JSON.stringify(items)),
    }),
  },
  { weight: 3, arbitrary: fc.record({ method, path: adminPath, body, json: fc.boolean() }) },
  // The moderation desk: spam, block, bulk actions, edits, the blog's replies, rules, moderators and the audit log.
  { weight: 2, arbitrary: fc.record({ method: fc.constant("POST"), path: fc.tuple(fc.oneof(adminId, importedId), fc.constantFrom("spam", "block")).map(([id, action]) => `/api/admin/comments/${id}/${action}`), body: fc.constant(null), json: fc.constant(false) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      method: fc.constant("POST"), path: fc.constant("/api/admin/comments/bulk"), json: fc.constant(true),
      body: fc.record({ action: fc.constantFrom("approve", "reject", "spam", "delete", "publish"), ids: fc.array(fc.oneof(adminId, importedId, fieldValue), { maxLength: 6 }) }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      method: fc.constantFrom("PATCH", "POST"),
      path: fc.tuple(fc.oneof(adminId, importedId), fc.constantFrom("", "/reply")).map(([id, tail]) => `/api/admin/comments/${id}${tail}`),
      json: fc.constant(true),
      body: fc.oneof(edgeString.map((body) => JSON.stringify({ body })), fieldValue.map((value) => JSON.stringify({ body: value }))),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      method: fc.constant("POST"), path: fc.constant("/api/admin/rules"), json: fc.constant(true),
      body: fc.record({ kind: fc.constantFrom("email", "word", "links", "first-comment", "ip"), value: fc.oneof(edgeString, fieldValue), action: fc.constantFrom("hold", "spam", "delete") }, { requiredKeys: [] })
        .map((rule) => JSON.stringify(rule)),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      method: fc.constantFrom("GET", "POST", "DELETE"), path: fc.constantFrom("/api/admin/moderators", "/api/admin/moderators/Ada", "/api/admin/rules", "/api/admin/audit", "/api/admin/me"), json: fc.constant(true),
      body: fc.oneof(edgeString.map((name) => JSON.stringify({ name })), fc.constant(JSON.stringify({ name: "Ada", role: "moderator" }))),
    }),
  },
);

/** Builds a request; the method only carries a body where fetch allows one. */
export function toRequest(base: string, req: FuzzRequest): Request {
  const upper = req.method.toUpperCase();
  const body = upper === "GET" || upper === "HEAD" ? null : req.body;
  return new Request(base + req.target, { method: req.method, headers: req.headers, body });
}
