// What a feed reader gets: well-formed Atom and JSON Feed with both posts and absolute links only.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { buildSite, type BuiltSite } from "./build-site.ts";

const SITE_URL = "https://blog.example.org";
let site: BuiltSite;

beforeAll(async () => {
  site = await buildSite({ env: { SITE_URL } });
});

interface AtomEntry {
  title: string;
  id: string;
  link: { "@_href": string };
  published: string;
  author: { name: string };
  summary: string;
  content: { "#text": string; "@_type": string };
}

function readAtom(): { feed: { id: string; link: { "@_href": string; "@_rel": string }[]; entry: AtomEntry[] } } {
  return new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "entry" || name === "category" }).parse(
    site.read("/feed.xml"),
  );
}

describe("/feed.xml (Atom)", () => {
  it("is well-formed XML", () => {
    expect(XMLValidator.validate(site.read("/feed.xml"))).toBe(true);
  });

  it("has both posts, newest first, with their authors, dates and summaries", () => {
    const { entry } = readAtom().feed;
    expect(entry.map((e) => e.title)).toEqual(["System leadership matters", "Local leadership capabilities"]);
    expect(entry.map((e) => e.published)).toEqual(["2012-09-24T00:00:00Z", "2012-08-20T00:00:00Z"]);
    expect(entry.every((e) => e.author.name === "Jan Sobieraj")).toBe(true);
    expect(entry[0]?.summary).toBe("The transformational agenda is a challenge for all of us who work in the health sector.");
  });

  it("carries each post's full text as HTML", () => {
    const { entry } = readAtom().feed;
    expect(entry.every((e) => e.content["@_type"] === "html")).toBe(true);
    expect(entry[0]?.content["#text"]).toContain("<p>Developing a comprehensive system leadership approach");
    expect(entry[1]?.content["#text"]).toContain("You cannot have one without the other.</p>");
  });

  it("uses absolute URLs from SITE_URL for the feed, its entries and their ids", () => {
    const { feed } = readAtom();
    expect(feed.id).toBe(`${SITE_URL}/`);
    expect(feed.link.map((l) => l["@_href"])).toEqual([`${SITE_URL}/feed.xml`, `${SITE_URL}/`]);
    expect(feed.entry.map((e) => e.link["@_href"])).toEqual([
      `${SITE_URL}/posts/system-leadership-matters/`,
      `${SITE_URL}/posts/local-leadership-capabilities/`,
    ]);
    expect(feed.entry.every((e) => e.id === e.link["@_href"])).toBe(true);
    expect(site.read("/feed.xml")).not.toMatch(/(href|src)="\//);
  });
});

describe("/feed.json (JSON Feed)", () => {
  it("is JSON Feed 1.1 with both posts and absolute URLs", () => {
    const feed = JSON.parse(site.read("/feed.json")) as {
      version: string;
      feed_url: string;
      items: { id: string; url: string; title: string; content_html: string; date_published: string }[];
    };
    expect(feed.version).toBe("https://jsonfeed.org/version/1.1");
    expect(feed.feed_url).toBe(`${SITE_URL}/feed.json`);
    expect(feed.items.map((i) => i.url)).toEqual([
      `${SITE_URL}/posts/system-leadership-matters/`,
      `${SITE_URL}/posts/local-leadership-capabilities/`,
    ]);
    expect(feed.items[1]?.title).toBe("Local leadership capabilities");
    expect(feed.items[1]?.content_html).toContain("I’m sure there will be much more going forward.");
    expect(feed.items[0]?.date_published).toBe("2012-09-24T00:00:00Z");
  });
});
