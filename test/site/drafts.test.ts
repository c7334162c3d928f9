// Drafts: previewed by `npm start` (Eleventy serve/watch), never published by `npm run build`.
import { beforeAll, describe, expect, it } from "vitest";
import { buildSite, createProject, type BuiltSite } from "./build-site.ts";
import { parsePage, textOf } from "./html.ts";

const POSTS = { "published-post.md": "published-post.md", "draft-post.md": "draft-post.md" };

describe("a draft in `npm run build`", () => {
  let site: BuiltSite;
  beforeAll(async () => {
    site = await buildSite({ project: createProject(POSTS) });
  });

  it("gets no page", () => {
    expect(site.files()).toContain("/posts/published-post/index.html");
    expect(site.files().some((file) => file.includes("draft-post"))).toBe(false);
  });

  it("is on no list: home, archive, tag page, feeds or sitemap", () => {
    for (const path of ["/", "/archive/", "/tags/fixtures/", "/feed.xml", "/feed.json", "/sitemap.xml"]) {
      expect(site.read(path), path).toContain("published-post");
      expect(site.read(path), path).not.toMatch(/draft-post|A draft post|secret text/);
    }
  });
});

describe("a draft in `npm start` (Eleventy serve mode)", () => {
  let site: BuiltSite;
  beforeAll(async () => {
    site = await buildSite({ project: createProject(POSTS), runMode: "serve" });
  });

  it("gets its page, marked as a draft", () => {
    const page = parsePage(site.read("/posts/draft-post/"));
    expect(page.text("h1")).toBe("A draft post");
    expect(page.text(".draft-flag")).toMatch(/^Draft:/);
    // Straight as typed: posts are rendered without typographic substitutions.
    expect(page.text(".post-body")).toBe("The draft's secret text.");
  });

  it("is listed on the home page and in the archive with a Draft label, so the author can find it", () => {
    const titles = parsePage(site.read("/")).findAll(".post-summary h2").map(textOf);
    expect(titles).toEqual(["A draft post Draft", "A published post"]);
    const archive = parsePage(site.read("/archive/")).findAll(".post-index li").map(textOf);
    expect(archive).toEqual(["A draft post Draft 1 February 2013", "A published post 15 January 2013"]);
  });

  it("still stays out of the feeds and the sitemap", () => {
    for (const path of ["/feed.xml", "/feed.json", "/sitemap.xml"]) {
      expect(site.read(path), path).not.toContain("draft-post");
    }
  });
});
