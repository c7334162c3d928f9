// A blog with more posts than the home page and the feeds show (site/listings.ts): the latest posts there, and
// every post still one click from the home page (the archive), on its topic pages and in the sitemap.
import { XMLParser } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { buildSite, createProjectWithPosts, type BuiltSite } from "./build-site.ts";
import { parsePage, textOf, validateHtml } from "./html.ts";

const SITE_URL = "https://blog.example.org";
const COUNT = 25;
/** "Post 01" … "Post 25": post 01 is the newest. */
const titles = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `Post ${String(from + i).padStart(2, "0")}`);
const odd = (list: string[]) => list.filter((title) => Number(title.slice(5)) % 2 === 1);

let site: BuiltSite;

beforeAll(async () => {
  site = await buildSite({ project: createProjectWithPosts(COUNT), env: { SITE_URL } });
});

describe("the home page of a blog with 25 posts", () => {
  it("shows the latest 10, newest first, each with its summary and comment-count link", () => {
    const home = parsePage(site.read("/"));
    expect(home.findAll(".post-summary h2").map(textOf)).toEqual(titles(1, 10));
    expect(home.findAll(".post-summary p").map(textOf)).toContain("Summary of post 10.");
    expect(home.findAll("a.comment-count").map((a) => a.getAttribute("data-comment-count")?.value)).toHaveLength(10);
  });

  it("links to the archive of every post, and so does every page's navigation", () => {
    const home = parsePage(site.read("/"));
    expect(home.attr(".more-posts a", "href")).toBe("/archive/");
    for (const path of ["/", "/posts/post-25/", "/tags/"]) {
      expect(parsePage(site.read(path)).findAll('nav a[href="/archive/"]'), path).toHaveLength(1);
    }
  });
});

describe("/archive/", () => {
  it("lists every post, newest first, under its year, with its link and date", () => {
    const archive = parsePage(site.read("/archive/"));
    expect(archive.text("h1")).toBe("All posts");
    expect(archive.findAll("main h2").map(textOf)).toEqual(["2024", "2023"]);
    expect(archive.findAll(".post-index a").map(textOf)).toEqual(titles(1, COUNT));
    expect(archive.attr(".post-index a", "href")).toBe("/posts/post-01/");
    expect(archive.text(".post-index li")).toBe("Post 01 2 January 2024");
    expect(archive.attr(".post-index time", "datetime")).toBe("2024-01-02");
  });

  it("marks itself as the current page in the navigation, and is valid HTML", async () => {
    const html = site.read("/archive/");
    expect(parsePage(html).attr('nav a[aria-current="page"]', "href")).toBe("/archive/");
    expect(await validateHtml(html, "/archive/")).toEqual([]);
  });

  it("stays compact: no summaries, and no comment script to run", () => {
    const archive = parsePage(site.read("/archive/"));
    expect(archive.findAll(".post-summary, [data-comment-count], script")).toHaveLength(0);
  });
});

describe("/tags/<tag>/ on a blog with 25 posts", () => {
  it("lists every post with the topic, newest first, as titles and dates", () => {
    expect(parsePage(site.read("/tags/fixtures/")).findAll(".post-index a").map(textOf)).toEqual(titles(1, COUNT));
    expect(parsePage(site.read("/tags/odd/")).findAll(".post-index a").map(textOf)).toEqual(odd(titles(1, COUNT)));
  });
});

describe("the feeds of a blog with 25 posts", () => {
  it("hold the latest 20 posts in full, newest first, with absolute links (Atom)", () => {
    const { feed } = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "entry" }).parse(site.read("/feed.xml")) as {
      feed: { updated: string; entry: { title: string; link: { "@_href": string }; content: { "#text": string } }[] };
    };
    expect(feed.entry.map((e) => e.title)).toEqual(titles(1, 20));
    expect(feed.updated).toBe("2024-01-02T00:00:00Z");
    expect(feed.entry[0]?.link["@_href"]).toBe(`${SITE_URL}/posts/post-01/`);
    expect(feed.entry[19]?.content["#text"]).toBe(`<p>The text of post 20, with <a href="${SITE_URL}/posts/post-01/">a link</a>.</p>`);
  });

  it("hold the latest 20 posts in full, newest first, with absolute links (JSON Feed)", () => {
    const feed = JSON.parse(site.read("/feed.json")) as { items: { title: string; url: string; content_html: string }[] };
    expect(feed.items.map((item) => item.title)).toEqual(titles(1, 20));
    expect(feed.items[19]?.url).toBe(`${SITE_URL}/posts/post-20/`);
    expect(feed.items[19]?.content_html).toContain(`<a href="${SITE_URL}/posts/post-01/">`);
  });
});

describe("/sitemap.xml of a blog with 25 posts", () => {
  it("lists every post", () => {
    const { urlset } = new XMLParser().parse(site.read("/sitemap.xml")) as { urlset: { url: { loc: string }[] } };
    const posts = urlset.url.map((u) => u.loc).filter((loc) => /\/posts\/post-\d+\/$/.test(loc));
    expect(posts).toHaveLength(COUNT);
  });
});
