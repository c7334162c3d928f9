// The files a build publishes: exactly the site's pages (never README.md, docs, the worker or test fixtures),
// the sitemap, robots.txt and the 404 page, all valid HTML within the first-round-trip budget.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { buildSite, createProject, ROOT, type BuiltSite } from "./build-site.ts";
import { parsePage, textOf, validateHtml } from "./html.ts";

const SITE_URL = "https://blog.example.org";
const PAGES = [
  "/404.html",
  "/_headers",
  "/archive/index.html",
  "/comments-version.json",
  "/comments.xml",
  "/feed.json",
  "/feed.xml",
  "/index.html",
  "/posts/local-leadership-capabilities/index.html",
  "/posts/system-leadership-matters/index.html",
  "/robots.txt",
  "/sitemap.xml",
  "/tags/index.html",
  "/tags/leadership-development/index.html",
  "/tags/system-leadership/index.html",
  "/tags/talent-management/index.html",
];

let site: BuiltSite;

beforeAll(async () => {
  site = await buildSite({ env: { SITE_URL } });
});

describe("the build output", () => {
  it("holds the site's pages and nothing built from other files in the repository", () => {
    // /assets/ also receives the comment script from the client build; everything else is listed here.
    expect(site.files().filter((file) => !file.startsWith("/assets/"))).toEqual(PAGES);
    expect(site.files()).toContain("/assets/site.css");
    expect(site.files().join("\n")).not.toMatch(/readme|docs|worker|fixtures|client|scripts/i);
  });

  it("is valid HTML on every page (html-validate, recommended rules)", async () => {
    for (const page of PAGES.filter((file) => file.endsWith(".html"))) {
      expect(await validateHtml(site.read(page), page), page).toEqual([]);
    }
  });

  it("keeps a post page's HTML plus the stylesheet within 14 KB gzipped, the first round trip", () => {
    const html = site.read("/posts/system-leadership-matters/");
    const css = site.read("/assets/site.css");
    const bytes = gzipSync(html, { level: 9 }).length + gzipSync(css, { level: 9 }).length;
    expect(bytes).toBeLessThanOrEqual(14 * 1024);
  });

  it("publishes the stylesheet from site/assets unchanged, with no external requests in any page", () => {
    expect(site.read("/assets/site.css")).toBe(readFileSync(join(ROOT, "site/assets/site.css"), "utf8"));
    for (const page of PAGES.filter((file) => file.endsWith(".html"))) {
      expect(site.read(page), page).not.toMatch(/(src|href)="(https?:)?\/\/(?!blog\.example\.org)[^"]*\.(js|css|woff2?)"/);
    }
  });
});

describe("files outside posts/, site/ and layouts/", () => {
  it("never become pages, even in folders the configuration has never heard of", async () => {
    const project = createProject({ "published-post.md": "published-post.md" });
    const strays = ["README.md", "NOTES.njk", "docs/guide.md", "test/fixtures/page.md", "new-folder/page.njk"];
    for (const stray of strays) {
      mkdirSync(join(project, stray, ".."), { recursive: true });
      writeFileSync(join(project, stray), "---\ntitle: Stray\n---\nA stray page.\n");
    }
    expect((await buildSite({ project })).files().filter((file) => !file.startsWith("/assets/"))).toEqual([
      "/404.html",
      "/_headers",
      "/archive/index.html",
      "/comments-version.json",
      "/comments.xml",
      "/feed.json",
      "/feed.xml",
      "/index.html",
      "/posts/published-post/index.html",
      "/robots.txt",
      "/sitemap.xml",
      "/tags/fixtures/index.html",
      "/tags/index.html",
    ]);
  });
});

describe("/sitemap.xml", () => {
  it("lists every public page with an absolute URL, and posts with their date", () => {
    const xml = site.read("/sitemap.xml");
    expect(XMLValidator.validate(xml)).toBe(true);
    const { urlset } = new XMLParser().parse(xml) as { urlset: { url: { loc: string; lastmod?: string }[] } };
    expect(urlset.url.map((u) => u.loc).sort()).toEqual([
      `${SITE_URL}/`,
      `${SITE_URL}/archive/`,
      `${SITE_URL}/posts/local-leadership-capabilities/`,
      `${SITE_URL}/posts/system-leadership-matters/`,
      `${SITE_URL}/tags/`,
      `${SITE_URL}/tags/leadership-development/`,
      `${SITE_URL}/tags/system-leadership/`,
      `${SITE_URL}/tags/talent-management/`,
    ]);
    expect(urlset.url.find((u) => u.loc.endsWith("/system-leadership-matters/"))?.lastmod).toBe("2012-09-24");
  });
});

describe("/robots.txt", () => {
  it("allows crawling and points to the sitemap", () => {
    expect(site.read("/robots.txt")).toBe(`User-agent: *\nAllow: /\n\nSitemap: ${SITE_URL}/sitemap.xml\n`);
  });
});

describe("/404.html", () => {
  it("says the page was not found, links home, and asks search engines not to index it", () => {
    const page = parsePage(site.read("/404.html"));
    expect(page.text("h1")).toBe("Page not found");
    expect(page.attr('main a[href="/"]', "href")).toBe("/");
    expect(page.attr('meta[name="robots"]', "content")).toBe("noindex");
    expect(page.findAll('link[rel="canonical"]')).toHaveLength(0);
  });
});

describe("/tags/<tag>/", () => {
  it("lists the posts with that topic, newest first, as titles and dates under their year", () => {
    const page = parsePage(site.read("/tags/leadership-development/"));
    expect(page.text("h1")).toBe("Posts about leadership development");
    expect(page.findAll("main h2").map(textOf)).toEqual(["2012"]);
    expect(page.findAll(".post-index li").map(textOf)).toEqual([
      "System leadership matters 24 September 2012",
      "Local leadership capabilities 20 August 2012",
    ]);
    expect(page.findAll(".post-index a").map((a) => a.getAttribute("href")?.value)).toEqual([
      "/posts/system-leadership-matters/",
      "/posts/local-leadership-capabilities/",
    ]);
    expect(parsePage(site.read("/tags/talent-management/")).findAll(".post-index a").map(textOf)).toEqual([
      "Local leadership capabilities",
    ]);
  });

  it("is reachable from the topics index", () => {
    const links = parsePage(site.read("/tags/")).findAll(".tag-list a").map((a) => a.getAttribute("href")?.value);
    expect(links).toEqual(["/tags/leadership-development/", "/tags/system-leadership/", "/tags/talent-management/"]);
  });
});
