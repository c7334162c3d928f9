// Every source's parser and the shared plan, on the hand-written exports in test/fixtures/import/ (the story is in
// its README): each comment's thread, parent (a reply listed before its parent included), status, UTC time, author
// and the formatting readers get, with spam and deleted comments skipped and counted.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importId, type ImportPlan, planImport, PLACEHOLDER_TEXT } from "../../scripts/moderate/import/plan.ts";
import { type FormatName, readImportFile } from "../../scripts/moderate/import/read.ts";
import type { ParsedSource } from "../../scripts/moderate/import/record.ts";
import { toHtml } from "../../site/comment-thread.ts";
import { renderContent } from "../../worker/render/content.ts";
import { gzipped, IMPORT_FIXTURES, issoDatabase } from "../support/import.ts";

const POSTS = new Set(["local-leadership-capabilities", "system-leadership-matters"]);
const LOCAL = "local-leadership-capabilities";
const SYSTEM = "system-leadership-matters";
const DELETED = PLACEHOLDER_TEXT;

/** One planned comment as [source id, post, parent's source id, status, UTC time, author]; placeholders by their text. */
type Row = [string, string, string | null, string, string, string];

function load(path: string): { format: FormatName; parsed: ParsedSource; plan: ImportPlan } {
  const loaded = readImportFile(path);
  if (loaded.kind !== "source") throw new Error(`${path} read as our own export`);
  return { format: loaded.format, parsed: loaded.parsed, plan: planImport(loaded.parsed, [], POSTS) };
}

function rows({ parsed, plan }: { parsed: ParsedSource; plan: ImportPlan }): Row[] {
  const sourceIds = new Map(parsed.records.map((r) => [importId(r.source, r.sourceId), r.sourceId]));
  const name = (id: string | null) => (id === null ? null : (sourceIds.get(id) ?? DELETED));
  return plan.comments.map((c) => [name(c.id!)!, c.post, name(c.parentId), c.status!, c.createdAt, c.author]);
}

/** What a reader sees of the comment with this source id. */
function shown({ parsed, plan }: { parsed: ParsedSource; plan: ImportPlan }, sourceId: string): string {
  const comment = plan.comments.find((c) => c.id === importId(parsed.source, sourceId))!;
  return renderContent(comment.body, comment.format).map(toHtml).join("");
}

const FORMATTED = {
  list: "<ul><li>a clear owner</li><li>monthly reviews</li></ul>",
  quote: "<blockquote><p>Culture eats strategy for breakfast.</p></blockquote>",
  strong: "<strong>useful</strong>",
};

function expectFormatted(html: string, code: RegExp): void {
  expect(html).toContain(FORMATTED.list);
  expect(html).toContain(FORMATTED.quote);
  expect(html).toContain(FORMATTED.strong);
  expect(html).toMatch(code);
}

/** No element a script could run from: script shows as text, a javascript: link is no link. */
function expectInert(html: string): void {
  expect(html).toMatch(/^<p>Nice/);
  expect(html).not.toMatch(/<script|<a\b[^>]*javascript|on\w+=/i);
}

// Markdown sources keep a fenced block as code, line breaks and all; HTML sources keep <pre>'s lines as code.
const MARKDOWN_CODE = /<pre><code>step 1: ask\nstep 2: listen\n?<\/code><\/pre>/;
const HTML_CODE = /<code>step 1: ask<br>step 2: listen\n?(<br>)?<\/code>/;

describe("Disqus (gzipped XML)", () => {
  const file = load(gzipped("disqus/export.xml", "disqus-export.xml.gz"));

  it("maps every comment to its post, keeps the reply listed first under its parent, and the deleted parent's reply under a placeholder", () => {
    expect(file.format).toBe("disqus");
    expect(rows(file)).toEqual([
      ["1", LOCAL, null, "approved", "2012-12-31T23:59:59.000Z", "Alice Adams"],
      ["2", LOCAL, "1", "approved", "2013-01-01T09:00:00.000Z", "Bob Baker"],
      [DELETED, LOCAL, null, "approved", "2013-01-03T08:00:00.000Z", DELETED],
      ["6", LOCAL, DELETED, "approved", "2013-01-03T12:00:00.000Z", "Erin Evans"],
      ["7", SYSTEM, null, "approved", "2013-01-04T15:30:00.000Z", "Mallory"],
    ]);
  });

  it("skips and counts spam (isSpam) and deleted, reports the thread with no post by its URL, and the orphan", () => {
    expect(file.plan.byStatus).toEqual({ approved: 5, pending: 0, spam: 1, deleted: 1 });
    expect(file.plan.unmapped).toEqual([{ key: "about", url: "https://old.example.org/about/", comments: 1 }]);
    expect(file.plan.orphans).toEqual([{ id: importId("disqus", "6"), parent: "5", reason: "deleted" }]);
    expect(file.plan.dateRange).toEqual({ first: "2012-12-31T23:59:59.000Z", last: "2013-01-05T10:00:00.000Z" });
  });

  it("keeps the HTML's emphasis, list, quote and code lines, and makes script inert; the IP is never read", () => {
    expectFormatted(shown(file, "1"), HTML_CODE);
    expect(shown(file, "7")).toBe("<p>Nice post</p>");
    expect(JSON.stringify(file.parsed)).not.toContain("192.0.2");
    expect(file.plan.comments[0]).toMatchObject({ email: "alice@example.org", format: "html" });
  });
});

describe("Isso (SQLite database)", () => {
  const file = load(issoDatabase());

  it("maps every comment, pending kept pending and the deleted parent's reply under a placeholder, times from the epoch to the millisecond", () => {
    expect(file.format).toBe("isso");
    expect(rows(file)).toEqual([
      ["1", LOCAL, null, "approved", "2012-12-31T23:59:59.500Z", "Alice Adams"],
      ["2", LOCAL, "1", "approved", "2013-01-01T09:00:00.250Z", "Bob Baker"],
      ["3", SYSTEM, null, "pending", "2013-01-02T10:00:00.000Z", "Carol Cole"],
      [DELETED, LOCAL, null, "approved", "2013-01-03T08:00:00.000Z", DELETED],
      ["6", LOCAL, DELETED, "approved", "2013-01-03T12:00:00.000Z", "Erin Evans"],
      ["7", SYSTEM, null, "approved", "2013-01-04T15:30:00.000Z", "Mallory"],
    ]);
    expect(file.plan.byStatus).toEqual({ approved: 5, pending: 1, spam: 0, deleted: 1 });
    expect(file.plan.unmapped).toEqual([{ key: "/about/", url: "/about/", comments: 1 }]);
  });

  it("renders the Markdown, shows script as text, and drops a javascript: website", () => {
    expectFormatted(shown(file, "1"), MARKDOWN_CODE);
    expectInert(shown(file, "7"));
    expect(shown(file, "7")).toContain("&#60;script&#62;");
    expect(file.plan.comments.find((c) => c.author === "Mallory")).toMatchObject({ website: null, format: "markdown" });
  });
});

describe("Remark42 (gzipped JSON lines)", () => {
  const file = load(gzipped("remark42/backup.jsonl", "remark42-backup.gz"));

  it("maps every comment, converting each time's offset to UTC", () => {
    expect(file.format).toBe("remark42");
    expect(rows(file)).toEqual([
      ["c-0001", LOCAL, null, "approved", "2012-12-31T23:59:59.000Z", "Alice Adams"],
      ["c-0002", LOCAL, "c-0001", "approved", "2013-01-01T09:00:00.000Z", "Bob Baker"],
      [DELETED, LOCAL, null, "approved", "2013-01-03T08:00:00.000Z", DELETED],
      ["c-0006", LOCAL, DELETED, "approved", "2013-01-03T12:00:00.000Z", "Erin Evans"],
      ["c-0007", SYSTEM, null, "approved", "2013-01-04T15:30:00.000Z", "Mallory"],
    ]);
    expect(file.plan.byStatus).toEqual({ approved: 5, pending: 0, spam: 0, deleted: 1 });
    expect(file.plan.unmapped.map((t) => t.url)).toEqual(["https://old.example.org/about/"]);
  });

  it("keeps the HTML readers saw, code lines included (Remark42's own Disqus import lost them), and no email it never had", () => {
    expectFormatted(shown(file, "c-0001"), HTML_CODE);
    expectInert(shown(file, "c-0007"));
    expect(file.plan.comments.every((c) => c.email === null)).toBe(true);
  });
});

describe("Commento v1 (gzipped JSON)", () => {
  const file = load(gzipped("commento/export.json", "commento-export.json.gz"));

  it("keeps unapproved comments pending and counts flagged as spam (Remark42's import published both)", () => {
    expect(file.format).toBe("commento");
    expect(rows(file)).toEqual([
      ["a1a1", LOCAL, null, "approved", "2012-12-31T23:59:59.000Z", "Alice Adams"],
      ["c2c2", LOCAL, "a1a1", "approved", "2013-01-01T09:00:00.000Z", "Bob Baker"],
      ["c3c3", SYSTEM, null, "pending", "2013-01-02T10:00:00.000Z", "Anonymous"],
      [DELETED, LOCAL, null, "approved", "2013-01-03T08:00:00.000Z", DELETED],
      ["f6f6", LOCAL, DELETED, "approved", "2013-01-03T12:00:00.000Z", "Erin Evans"],
      ["a7a7", SYSTEM, null, "approved", "2013-01-04T15:30:00.000Z", "Mallory"],
    ]);
    expect(file.plan.byStatus).toEqual({ approved: 5, pending: 1, spam: 1, deleted: 1 });
  });

  it("takes a commenter listed twice from the first entry, and drops Commento's 'undefined' and javascript: links", () => {
    expect(file.plan.comments[0]).toMatchObject({ author: "Alice Adams", email: "alice@example.org", website: "https://alice.example.org/" });
    expect(file.plan.comments.find((c) => c.author === "Mallory")?.website).toBeNull();
    expect(file.plan.comments.find((c) => c.author === "Bob Baker")?.website).toBeNull();
    expectFormatted(shown(file, "a1a1"), MARKDOWN_CODE);
    expectInert(shown(file, "a7a7"));
  });
});

describe("Comentario v3 (JSON)", () => {
  const file = load(join(IMPORT_FIXTURES, "comentario", "export.json"));
  const c = (n: number) => `c0000000-0000-4000-8000-00000000000${n}`;

  it("maps pages by path, keeps pending pending, counts rejected as spam and deleted, and converts offsets to UTC", () => {
    expect(file.format).toBe("comentario");
    expect(rows(file)).toEqual([
      [c(1), LOCAL, null, "approved", "2012-12-31T23:59:59.000Z", "Alice Adams"],
      [c(2), LOCAL, c(1), "approved", "2013-01-01T09:00:00.000Z", "Bob Baker"],
      [c(3), SYSTEM, null, "pending", "2013-01-02T10:00:00.000Z", "Carol Cole"],
      [DELETED, LOCAL, null, "approved", "2013-01-03T08:00:00.000Z", DELETED],
      [c(6), LOCAL, DELETED, "approved", "2013-01-03T12:00:00.000Z", "Erin Evans"],
      [c(7), SYSTEM, null, "approved", "2013-01-04T15:30:00.000Z", "Mallory"],
    ]);
    expect(file.plan.byStatus).toEqual({ approved: 5, pending: 1, spam: 1, deleted: 1 });
    expectFormatted(shown(file, c(1)), MARKDOWN_CODE);
    expectInert(shown(file, c(7)));
  });
});

describe("Artalk (Artrans JSON)", () => {
  const file = load(join(IMPORT_FIXTURES, "artalk", "artrans.json"));

  it("reads Go's '2006-01-02 15:04:05 -0700' times as UTC, keeps is_pending, and a reply to a parent not in the file under a placeholder", () => {
    expect(file.format).toBe("artalk");
    expect(rows(file)).toEqual([
      ["1", LOCAL, null, "approved", "2012-12-31T23:59:59.000Z", "Alice Adams"],
      ["2", LOCAL, "1", "approved", "2013-01-01T09:00:00.000Z", "Bob Baker"],
      ["3", SYSTEM, null, "pending", "2013-01-02T10:00:00.000Z", "Carol Cole"],
      [DELETED, LOCAL, null, "approved", "2013-01-03T12:00:00.000Z", DELETED],
      ["6", LOCAL, DELETED, "approved", "2013-01-03T12:00:00.000Z", "Erin Evans"],
      ["7", SYSTEM, null, "approved", "2013-01-04T15:30:00.000Z", "Mallory"],
    ]);
    expect(file.plan.orphans).toEqual([{ id: importId("artalk", "6"), parent: "99", reason: "missing" }]);
    expectFormatted(shown(file, "1"), MARKDOWN_CODE);
    expectInert(shown(file, "7"));
  });
});

describe("Waline (JSON)", () => {
  const file = load(join(IMPORT_FIXTURES, "waline", "export.json"));

  it("maps waiting to pending and spam to skipped, and reads a zone-less SQL time as UTC", () => {
    expect(file.format).toBe("waline");
    expect(rows(file)).toEqual([
      ["6422b1", LOCAL, null, "approved", "2012-12-31T23:59:59.000Z", "Alice Adams"],
      ["6422b2", LOCAL, "6422b1", "approved", "2013-01-01T09:00:00.000Z", "Bob Baker"],
      ["6422b3", SYSTEM, null, "pending", "2013-01-02T10:00:00.000Z", "Carol Cole"],
      [DELETED, LOCAL, null, "approved", "2013-01-03T12:00:00.000Z", DELETED],
      ["6422b6", LOCAL, DELETED, "approved", "2013-01-03T12:00:00.000Z", "Erin Evans"],
      ["6422b7", SYSTEM, null, "approved", "2013-01-04T15:30:00.000Z", "Mallory"],
    ]);
    expect(file.plan.byStatus).toEqual({ approved: 5, pending: 1, spam: 1, deleted: 0 });
    expectFormatted(shown(file, "6422b1"), MARKDOWN_CODE);
    expectInert(shown(file, "6422b7"));
  });
});

describe("Staticman (a folder of YAML, JSON and front-matter files)", () => {
  const file = load(join(IMPORT_FIXTURES, "staticman"));
  const s = (n: number) => `5b0f2a10-000${n}-11e3-8000-00000000000${n}`;

  it("takes the thread from each file's folder, the parent from replying_to_uid, and Unix or ISO dates as UTC", () => {
    expect(file.format).toBe("staticman");
    expect(rows(file)).toEqual([
      [s(1), LOCAL, null, "approved", "2012-12-31T23:59:59.000Z", "Alice Adams"],
      [s(2), LOCAL, s(1), "approved", "2013-01-01T09:00:00.000Z", "Bob Baker"],
      [DELETED, LOCAL, null, "approved", "2013-01-03T12:00:00.000Z", DELETED],
      [s(6), LOCAL, DELETED, "approved", "2013-01-03T12:00:00.000Z", "Erin Evans"],
      [s(7), SYSTEM, null, "approved", "2013-01-04T15:30:00.000Z", "Mallory"],
    ]);
    expect(file.plan.unmapped).toEqual([{ key: "about", url: "about", comments: 1 }]);
  });

  it("keeps Staticman's md5 of an email as a hash and never as an address, and a front-matter file's body as its text", () => {
    expect(file.parsed.records.find((r) => r.sourceId === s(1))).toMatchObject({ email: null, emailHash: "0b4e7a0e5fe84ad35fb5f95b9ceeac79" });
    expect(file.plan.comments.find((c) => c.author === "Alice Adams")?.email).toBeNull();
    expectFormatted(shown(file, s(1)), MARKDOWN_CODE);
    expectInert(shown(file, s(7)));
    expect(shown(file, s(7))).toContain("Nice&#60;script&#62;");
  });
});
