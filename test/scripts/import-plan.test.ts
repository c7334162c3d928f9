// The import's shared pipeline, in Node: URL mapping, the plan (ids, parents, placeholders, order), hostile files,
// and sending in batches so a run that stops part-way is finished by running it again.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { AdminClient, ImportComment } from "../../scripts/moderate/api.ts";
import { CliError } from "../../scripts/moderate/errors.ts";
import { prepareImport, sendImport } from "../../scripts/moderate/import.ts";
import { importId, planImport } from "../../scripts/moderate/import/plan.ts";
import { ImportFileError, readImportFile } from "../../scripts/moderate/import/read.ts";
import type { ImportRecord, ParsedSource } from "../../scripts/moderate/import/record.ts";
import { normaliseUrl, parseMap, threadSlugs } from "../../scripts/moderate/import/url-map.ts";
import { IMPORT_FIXTURES, issoDatabase, tempDir, tempFile } from "../support/import.ts";

const POSTS = new Set(["local-leadership-capabilities", "system-leadership-matters"]);

function record(sourceId: string, overrides: Partial<ImportRecord> = {}): ImportRecord {
  return {
    source: "artalk", sourceId, parentSourceId: null,
    thread: { key: "/blog/local-leadership-capabilities/", url: "/blog/local-leadership-capabilities/", title: null },
    author: `Reader ${sourceId}`, email: null, emailHash: null, website: null,
    createdAt: `2013-01-01T00:00:${sourceId.padStart(2, "0").slice(-2)}.000Z`, body: `Comment ${sourceId}`, format: "markdown", status: "approved",
    ...overrides,
  };
}

const parsed = (records: ImportRecord[]): ParsedSource => ({ source: "artalk", records, notComments: 0 });
const plan = (records: ImportRecord[]) => planImport(parsed(records), [], POSTS);

describe("normaliseUrl and threadSlugs", () => {
  it("drops scheme, host, query string, fragment, trailing slash and index pages, so old addresses of one page agree", () => {
    for (const url of [
      "https://old.example.org/blog/Local-Leadership-Capabilities/",
      "http://www.old.example.org/blog/local-leadership-capabilities?utm_source=feed#comments",
      "/blog/local-leadership-capabilities/index.html",
      "//old.example.org/blog/local-leadership-capabilities",
    ]) expect(normaliseUrl(url), url).toBe("/blog/local-leadership-capabilities");
  });

  it("maps an exact old address, and a prefix ending in * with the rest of the path carried over (less a page extension)", () => {
    const rules = parseMap("https://old.example.org/about/ system-leadership-matters\nhttps://old.example.org/2012/* /posts/*\n");
    expect(threadSlugs({ key: "", url: "http://old.example.org/about?x=1" }, rules)).toEqual({ slugs: ["system-leadership-matters"], mapped: true });
    expect(threadSlugs({ key: "", url: "https://old.example.org/2012/05/local-leadership-capabilities.html" }, rules).slugs).toEqual(["local-leadership-capabilities"]);
    expect(threadSlugs({ key: "", url: "https://old.example.org/2013/05/other/" }, rules)).toEqual({ slugs: ["other"], mapped: false });
  });

  it("reads Disqus URL-mapper CSV rows, and refuses a line that is neither form, naming the line", () => {
    expect(parseMap('"https://old.example.org/a/","https://new.example.org/posts/b/"')).toEqual([{ from: "/a", to: "https://new.example.org/posts/b/", prefix: false }]);
    expect(() => parseMap("ok new\njust-one-word\n", "urls.txt")).toThrow('urls.txt line 2: expected "old new" or "old,new", got "just-one-word"');
  });

  it("moves a thread with --map and reports the one no rule or slug finds, with its URL, never guessing", () => {
    const about = { key: "about-us", url: "https://old.example.org/about-us/", title: null };
    const moved = planImport(parsed([record("1", { thread: about })]), parseMap("https://old.example.org/about-us/ /posts/system-leadership-matters/"), POSTS);
    expect(moved.comments.map((c) => c.post)).toEqual(["system-leadership-matters"]);
    const unmapped = plan([record("1", { thread: about }), record("2", { thread: about })]);
    expect(unmapped.comments).toEqual([]);
    expect(unmapped.unmapped).toEqual([{ key: "about-us", url: "https://old.example.org/about-us/", comments: 2 }]);
  });
});

describe("planImport", () => {
  it("gives every comment an id derived from its source and source id, the same on every run", () => {
    const first = plan([record("1"), record("2", { parentSourceId: "1" })]);
    expect(first.comments.map((c) => c.id)).toEqual([importId("artalk", "1"), importId("artalk", "2")]);
    expect(importId("artalk", "1")).toMatch(/^artalk-[A-Za-z0-9_-]{32}$/);
    expect(importId("isso", "1")).not.toBe(importId("artalk", "1"));
    expect(plan([record("1"), record("2", { parentSourceId: "1" })])).toEqual(first);
  });

  it("gives the same parents and order whatever order the file lists comments in", () => {
    const records = [record("1"), record("2", { parentSourceId: "1" }), record("3", { parentSourceId: "2" }), record("4"), record("5", { parentSourceId: "4" })];
    const expected = plan(records).comments;
    for (const shuffled of [[...records].reverse(), [records[2]!, records[4]!, records[0]!, records[3]!, records[1]!]]) {
      expect(plan(shuffled).comments).toEqual(expected);
    }
    expect(expected.map((c) => [c.id, c.parentId])).toContainEqual([importId("artalk", "3"), importId("artalk", "2")]);
  });

  it("sends a parent before its reply even when the reply is dated earlier", () => {
    const { comments } = plan([record("9", { parentSourceId: "1", createdAt: "2012-01-01T00:00:00.000Z" }), record("1")]);
    expect(comments.map((c) => c.id)).toEqual([importId("artalk", "1"), importId("artalk", "9")]);
  });

  it("keeps one placeholder for a gone parent, public only when a public reply hangs under it", () => {
    const waiting = plan([record("2", { parentSourceId: "1", status: "pending" })]);
    expect(waiting.comments.map((c) => [c.author, c.status])).toEqual([["[deleted]", "pending"], ["Reader 2", "pending"]]);
    const shown = plan([record("2", { parentSourceId: "1" }), record("3", { parentSourceId: "1", status: "pending" }), record("1", { status: "spam" })]);
    expect(shown.placeholders).toBe(1);
    expect(shown.comments.map((c) => [c.author, c.status, c.parentId === importId("artalk", "1", "placeholder", "local-leadership-capabilities")])).toEqual([
      ["[deleted]", "approved", false], ["Reader 2", "approved", true], ["Reader 3", "pending", true],
    ]);
    expect(shown.orphans.map((o) => o.reason)).toEqual(["spam", "spam"]);
  });

  it("keeps a placeholder's own place under its parent when the gone comment itself was a reply", () => {
    const { comments } = plan([record("1"), record("2", { parentSourceId: "1", status: "deleted" }), record("3", { parentSourceId: "2" })]);
    const holder = comments.find((c) => c.author === "[deleted]")!;
    expect(holder.parentId).toBe(importId("artalk", "1"));
    expect(comments.find((c) => c.author === "Reader 3")?.parentId).toBe(holder.id);
  });

  it("cuts a loop of parents instead of hanging, and counts a comment listed twice once", () => {
    const { comments, duplicatesInFile } = plan([record("1", { parentSourceId: "2" }), record("2", { parentSourceId: "1" }), record("2", { parentSourceId: "1" })]);
    expect(comments).toHaveLength(2);
    expect(comments.filter((c) => c.parentId === null)).toHaveLength(1);
    expect(duplicatesInFile).toBe(1);
  });

  it("never carries an IP address, and names an entry the worker would refuse instead of sending anything", () => {
    const { comments } = plan([record("1")]);
    expect(Object.keys(comments[0]!).sort()).toEqual(["author", "body", "createdAt", "email", "format", "id", "parentId", "post", "status", "website"]);
    const tooLong = plan([record("1", { body: "x".repeat(50_001) })]);
    expect(tooLong.problems).toEqual([`comment ${importId("artalk", "1")} on local-leadership-capabilities: body: An imported comment can be at most 50000 characters.`]);
  });

  it("plans a 10,000-comment file, half of them replies listed before their parents, in seconds", () => {
    const records: ImportRecord[] = [];
    for (let i = 10_000; i >= 1; i--) records.push(record(String(i), { parentSourceId: i % 2 === 0 ? String(i - 1) : null, createdAt: new Date(Date.UTC(2013, 0, 1) + i * 1000).toISOString() }));
    const started = performance.now();
    const result = plan(records);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(result.comments).toHaveLength(10_000);
    const position = new Map(result.comments.map((c, i) => [c.id, i]));
    expect(result.comments.every((c) => c.parentId === null || position.get(c.parentId)! < position.get(c.id)!)).toBe(true);
    expect(result.orphans).toEqual([]);
  });
});

describe("readImportFile on hostile files", () => {
  const read = (name: string, content: string | Uint8Array) => () => readImportFile(tempFile(name, content));

  it("names bad XML by line", () => {
    expect(read("bad.xml", '<?xml version="1.0"?>\n<disqus>\n<thread dsq:id="1">\n</disqus>')).toThrow(/^bad XML at line \d+/);
  });

  it("names a truncated gzip file", () => {
    const whole = gzipSync(readFileSync(join(IMPORT_FIXTURES, "remark42", "backup.jsonl")));
    expect(read("cut.gz", whole.subarray(0, whole.length - 40))).toThrow(/^a damaged or truncated gzip file/);
  });

  it("names a version it does not read, for Commento, Remark42 and Waline", () => {
    expect(read("c.json", JSON.stringify({ version: 2, comments: [], commenters: [] }))).toThrow("unsupported Commento/Comentario export version 2 (this reads 1 and 3)");
    expect(read("r.jsonl", '{"version":2,"users":[],"posts":[]}\n{"id":"1"}\n')).toThrow("unsupported Remark42 backup version 2");
    expect(read("w.json", JSON.stringify({ type: "waline", version: 9, data: { Comment: [] } }))).toThrow("unsupported Waline export version 9");
  });

  it("names the entry that is not a comment: no id, no time", () => {
    const artrans = JSON.parse(readFileSync(join(IMPORT_FIXTURES, "artalk", "artrans.json"), "utf8")) as Record<string, string>[];
    expect(read("a.json", JSON.stringify([{ ...artrans[0], created_at: "yesterday" }]))).toThrow("entry 1 (id 2): createdAt");
    expect(read("a.json", JSON.stringify([{ ...artrans[0], id: "" }]))).toThrow("entry 1: sourceId: a comment has no id");
  });

  it("refuses a SQLite file that is not an Isso database, and text that is no export at all", () => {
    expect(() => readImportFile(issoDatabase("CREATE TABLE notes (id INTEGER);"))).toThrow("not an Isso database: no comments and threads tables");
    expect(read("notes.txt", "just some notes")).toThrow(/^not JSON, XML, SQLite or a Remark42 backup/);
    expect(read("other.xml", "<html><body>hi</body></html>")).toThrow("an XML file that is neither a WordPress export (WXR) nor a Disqus export");
  });

  it("throws ImportFileError for every one of them, so the CLI can name the file", () => {
    expect(read("bad.xml", "<disqus><post>")).toThrow(ImportFileError);
  });
});

/** A worker double: stores what it is sent, and refuses the batch numbered `failOn` once. */
function fakeWorker(failOn: number | null) {
  const stored = new Set<string>();
  let batch = 0;
  const client = {
    async importComments(items: readonly ImportComment[]) {
      batch++;
      if (batch === failOn) throw new CliError("The comment service did not answer.", 4);
      let imported = 0;
      for (const item of items) if (!stored.has(item.id!)) (stored.add(item.id!), imported++);
      return { imported, skipped: items.length - imported, keptDeleted: 0 };
    },
    async postExists(slug: string) {
      return POSTS.has(slug);
    },
  } as unknown as AdminClient;
  return { client, stored };
}

describe("sendImport", () => {
  it("sends a 1,200-comment file in batches; a run cut off after the first batch is finished by running it again", async () => {
    const comments = Array.from({ length: 1200 }, (_, i) => ({ id: String(i + 1), rid: "0", content: `Comment ${i + 1}`, is_pending: "false", created_at: "2013-01-01 10:00:00 +0000", nick: "Reader", email: "", link: "", page_key: "/blog/local-leadership-capabilities/", page_title: "" }));
    const file = join(tempDir(), "artrans.json");
    writeFileSync(file, JSON.stringify(comments));
    const { client, stored } = fakeWorker(2);
    const prepared = await prepareImport(file, {}, async (slugs) => new Set(slugs.filter((s) => POSTS.has(s))));
    const error = await sendImport(client, prepared, {}).catch((e: Error) => e);
    expect((error as Error).message).toContain("500 of 1200 entries were sent before this; run the same command again to finish");
    expect(stored.size).toBe(500);
    const again = await sendImport(client, prepared, {});
    expect(again).toMatchObject({ imported: 700, duplicates: 500 });
    expect(stored.size).toBe(1200);
  });

  it("refuses a whole file with an entry the worker would refuse before sending anything, naming the file", async () => {
    const file = tempFile("artrans.json", JSON.stringify([{ id: "1", rid: "0", content: "x".repeat(50_001), is_pending: "false", created_at: "2013-01-01 10:00:00 +0000", nick: "R", page_key: "/blog/local-leadership-capabilities/" }]));
    await expect(prepareImport(file, {}, async () => POSTS)).rejects.toThrow(`Cannot import ${file}: 1 entries would be refused; nothing was sent.`);
  });
});
