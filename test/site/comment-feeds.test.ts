// What a feed reader following the conversation gets: /comments.xml for the whole site and
// /posts/<slug>/comments.xml for each post with approved comments, valid Atom built from the same comment data
// the post pages draw, inert however hostile the comment, and linked from the pages' heads.
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import type { Comment } from "../../client/api.ts";
import { LIST_SIZES } from "../../site/listings.ts";
import { renderContent } from "../../worker/render/content.ts";
import { buildSite, createProjectWithPosts, FIXTURES, generatedPostDate, type BuiltSite } from "./build-site.ts";
import { decode, parsePage, textOf, validateHtml } from "./html.ts";

const SITE_URL = "https://blog.example.org";
const HOSTILE = `<script>alert(1)</script><img src=x onerror=alert(2)>"'&`;
const FORMATTED = "**Bold** and `code`, with [a link](https://example.org/formatted)";

const comment = (id: string, createdAt: string, overrides: Partial<Comment> = {}): Comment => ({
  id, parentId: null, author: `Reader ${id}`, website: null, body: `Comment ${id}`, createdAt, ...overrides,
});

/** What the comment service publishes: approved comments only, by post slug. */
const THREADS: Record<string, Comment[]> = {
  "post-01": [
    comment("01A", "2026-03-01T09:00:00.000Z", { author: "Ada Lovelace" }),
    comment("01C", "2026-03-02T09:00:00.000Z", { author: HOSTILE, body: HOSTILE, website: "javascript:alert(3)" }),
    comment("01D", "2026-03-03T09:00:00.000Z", { body: FORMATTED, content: renderContent(FORMATTED) }),
    comment("01B", "2026-03-05T09:00:00.000Z", { parentId: "01A", author: "Ben Okri", website: "https://ben.example/" }),
  ],
  "post-02": [
    // A bell character XML cannot carry, as a service that let one through might send it.
    comment("02B", "2026-02-01T09:00:00.000Z", { body: "Ring\u0007 the bell" }),
    comment("02A", "2026-03-04T09:00:00.000Z"),
  ],
  "post-03": [],
  // Comments whose post is a draft, or is gone from the site: no feed may list them.
  "draft-post": [comment("DR1", "2026-03-06T09:00:00.000Z", { body: "On a draft" })],
  "gone-post": [comment("GONE1", "2026-03-07T09:00:00.000Z", { body: "On a removed post" })],
};

interface AtomLink { "@_href": string; "@_rel": string; "@_type"?: string }
interface AtomEntry {
  id: string;
  title: string;
  updated: string;
  published: string;
  author: { name: string; uri?: string };
  link: AtomLink[];
  content: { "#text": string; "@_type": string };
  "thr:in-reply-to"?: { "@_ref": string; "@_href": string };
}
interface AtomFeed { id: string; title: string; updated: string; author: { name: string }; link: AtomLink[]; entry: AtomEntry[] }

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/**
 * Parses an Atom document, after checking it is well-formed and has what RFC 4287 requires: a feed id, title,
 * updated and author, and in each entry an id, title, updated time, author, alternate link and content.
 */
function readAtom(xml: string): AtomFeed {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parsed = new XMLParser({ ignoreAttributes: false, parseTagValue: false, htmlEntities: true, isArray: (name) => name === "entry" || name === "link" })
    .parse(xml) as { feed: AtomFeed & { "@_xmlns": string } };
  const { feed } = parsed;
  expect(feed["@_xmlns"]).toBe("http://www.w3.org/2005/Atom");
  expect(feed.id).toMatch(/^https:\/\//);
  expect(feed.title).not.toBe("");
  expect(feed.updated).toMatch(RFC3339);
  expect(feed.author.name).not.toBe("");
  feed.entry ??= [];
  for (const entry of feed.entry) {
    expect(entry.id).toMatch(/^https:\/\//);
    expect(entry.title).not.toBe("");
    expect(entry.updated).toMatch(RFC3339);
    expect(entry.published).toMatch(RFC3339);
    expect(entry.author.name).not.toBe("");
    expect(entry.link.find((l) => l["@_rel"] === "alternate")?.["@_href"]).toBe(entry.id);
    expect(entry.content["@_type"]).toBe("html");
    // Escaped HTML is text to the XML parser: markup that was not escaped would have parsed into child elements.
    expect(typeof entry.content["#text"]).toBe("string");
  }
  return feed;
}

const ids = (feed: AtomFeed) => feed.entry.map((e) => e.id.replace(/^.*#comment-/, ""));
const entryOf = (feed: AtomFeed, id: string) => feed.entry.find((e) => e.id.endsWith(`#comment-${id}`))!;

/** A snapshot file holding `threads`: the builds below read it as the comment data, as when the service is down. */
function snapshotOf(threads: Record<string, Comment[]>): string {
  const path = join(mkdtempSync(join(tmpdir(), "comment-feeds-")), "comments.json");
  writeFileSync(path, JSON.stringify({ savedAt: "2026-03-08T00:00:00.000Z", threads }));
  return path;
}

/** Generated posts post-01 … post-<count>, plus a draft (test/fixtures/site/posts/draft-post.md). */
function projectWithDraft(count: number): string {
  const project = createProjectWithPosts(count);
  cpSync(join(FIXTURES, "posts", "draft-post.md"), join(project, "posts", "draft-post.md"));
  return project;
}

let site: BuiltSite;
let siteFeed: AtomFeed;

beforeAll(async () => {
  site = await buildSite({ project: projectWithDraft(3), env: { SITE_URL, COMMENTS_SNAPSHOT: snapshotOf(THREADS) } });
  siteFeed = readAtom(site.read("/comments.xml"));
});

describe("/comments.xml, the whole site's comment feed", () => {
  it("is valid Atom that names itself and the blog", () => {
    expect(siteFeed.id).toBe(`${SITE_URL}/comments.xml`);
    expect(siteFeed.title).toBe("Comments on Leadership Academy");
    expect(siteFeed.link.map((l) => [l["@_rel"], l["@_href"]])).toEqual([["self", `${SITE_URL}/comments.xml`], ["alternate", `${SITE_URL}/`]]);
  });

  it("holds every published post's approved comments, newest first, and is as new as the newest", () => {
    expect(ids(siteFeed)).toEqual(["01B", "02A", "01D", "01C", "01A", "02B"]);
    expect(siteFeed.updated).toBe("2026-03-05T09:00:00Z");
  });

  it("never lists a comment on a draft or on a post the site no longer has", () => {
    expect(ids(siteFeed)).not.toContain("DR1");
    expect(ids(siteFeed)).not.toContain("GONE1");
    expect(site.read("/comments.xml")).not.toMatch(/On a draft|On a removed post/);
  });

  it("gives each entry the commenter as author, the comment's time, and says whom a reply answers", () => {
    const reply = entryOf(siteFeed, "01B");
    expect(reply.title).toBe("Reply by Ben Okri to Ada Lovelace on “Post 01”");
    expect(reply.author).toEqual({ name: "Ben Okri", uri: "https://ben.example/" });
    expect([reply.published, reply.updated]).toEqual(["2026-03-05T09:00:00Z", "2026-03-05T09:00:00Z"]);
    expect(entryOf(siteFeed, "01A").title).toBe("Comment by Ada Lovelace on “Post 01”");
    expect(entryOf(siteFeed, "01A").author).toEqual({ name: "Ada Lovelace" });
  });

  it("points a reply at the comment it answers, for feed readers that thread (RFC 4685)", () => {
    const parent = `${SITE_URL}/posts/post-01/#comment-01A`;
    expect(entryOf(siteFeed, "01B")["thr:in-reply-to"]).toMatchObject({ "@_ref": parent, "@_href": parent });
    expect(entryOf(siteFeed, "01A")["thr:in-reply-to"]).toBeUndefined();
  });

  it("links each entry to the comment's own anchor on its post page, which is also its stable id", () => {
    expect(entryOf(siteFeed, "02A").id).toBe(`${SITE_URL}/posts/post-02/#comment-02A`);
    expect(parsePage(site.read("/posts/post-02/")).findAll("li#comment-02A")).toHaveLength(1);
  });

  it("carries the content the post page draws, as escaped HTML", () => {
    const content = parsePage(`<div>${entryOf(siteFeed, "01D").content["#text"]}</div>`);
    expect(content.text("p strong")).toBe("Bold");
    expect(content.text("p code")).toBe("code");
    expect(content.attr("p a", "href")).toBe("https://example.org/formatted");
    expect(content.attr("p a", "rel")).toBe("nofollow ugc noopener");
    expect(content.text("p")).toBe(parsePage(site.read("/posts/post-01/")).text("#comment-01D .comment-content"));
  });

  it("delivers a hostile comment as text: no script, no handler, no javascript: link", () => {
    const hostile = entryOf(siteFeed, "01C");
    const content = parsePage(`<div>${hostile.content["#text"]}</div>`);
    expect(textOf(content.find("div"))).toBe(HOSTILE);
    expect(content.findAll("script, img, [onerror]")).toHaveLength(0);
    expect(hostile.author).toEqual({ name: HOSTILE });
    expect(hostile.title).toBe(`Comment by ${HOSTILE} on “Post 01”`);
    expect(site.read("/comments.xml")).not.toMatch(/<script|<img|javascript:/);
  });

  it("drops the characters XML cannot carry instead of breaking the feed", () => {
    expect(entryOf(siteFeed, "02B").content["#text"]).toBe("<p>Ring the bell</p>");
  });
});

describe("/posts/<slug>/comments.xml, a post's comment feed", () => {
  it("holds that post's approved comments only, newest first, and names the post", () => {
    const feed = readAtom(site.read("/posts/post-01/comments.xml"));
    expect(ids(feed)).toEqual(["01B", "01D", "01C", "01A"]);
    expect(feed.title).toBe("Comments on “Post 01”");
    expect(feed.id).toBe(`${SITE_URL}/posts/post-01/comments.xml`);
    expect(feed.updated).toBe("2026-03-05T09:00:00Z");
    expect(feed.link.map((l) => [l["@_rel"], l["@_href"]])).toEqual([
      ["self", `${SITE_URL}/posts/post-01/comments.xml`],
      ["alternate", `${SITE_URL}/posts/post-01/#comments`],
    ]);
    expect(ids(readAtom(site.read("/posts/post-02/comments.xml")))).toEqual(["02A", "02B"]);
  });

  it("is built only for published posts that have comments", () => {
    const feeds = site.files().filter((file) => file.endsWith("/comments.xml"));
    expect(feeds).toEqual(["/comments.xml", "/posts/post-01/comments.xml", "/posts/post-02/comments.xml"]);
  });
});

describe("the comment feeds' links in the page heads", () => {
  const alternates = (path: string) => parsePage(site.read(path)).findAll('head link[rel="alternate"][type="application/atom+xml"]')
    .map((link) => [link.getAttribute("href")?.value, decode(String(link.getAttribute("title")?.value))]);

  it("offers the site's comment feed beside the post feeds on every page", () => {
    for (const path of ["/", "/archive/", "/tags/", "/posts/post-03/"]) {
      expect(alternates(path)).toContainEqual(["/comments.xml", "Comments on Leadership Academy"]);
    }
  });

  it("offers a post's own comment feed on its page once it has comments", () => {
    expect(alternates("/posts/post-01/")).toContainEqual(["/posts/post-01/comments.xml", "Comments on “Post 01”"]);
    expect(alternates("/posts/post-03/").map(([href]) => href)).toEqual(["/feed.xml", "/comments.xml"]);
  });

  it("keeps the post page valid HTML", async () => {
    expect(await validateHtml(site.read("/posts/post-01/"), "post.html")).toEqual([]);
  });
});

describe("the comment feeds' size and emptiness", () => {
  it(`keeps the newest ${LIST_SIZES.commentFeed} comments in each feed`, async () => {
    const count = LIST_SIZES.commentFeed + 3;
    const many = Array.from({ length: count }, (_, i) => comment(`M${i}`, new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString()));
    const built = await buildSite({ project: createProjectWithPosts(1), env: { SITE_URL, COMMENTS_SNAPSHOT: snapshotOf({ "post-01": many }) } });
    const newestFirst = many.map((c) => c.id).reverse().slice(0, LIST_SIZES.commentFeed);
    expect(ids(readAtom(built.read("/comments.xml")))).toEqual(newestFirst);
    expect(ids(readAtom(built.read("/posts/post-01/comments.xml")))).toEqual(newestFirst);
  });

  it("serves an empty but valid site feed, as new as the newest post, before anyone comments", async () => {
    const built = await buildSite({ project: createProjectWithPosts(2), env: { SITE_URL } });
    const feed = readAtom(built.read("/comments.xml"));
    expect(feed.entry).toEqual([]);
    expect(feed.updated).toBe(`${generatedPostDate(1)}T00:00:00Z`);
    expect(built.files().filter((file) => file.endsWith("/comments.xml"))).toEqual(["/comments.xml"]);
  });
});
