// Approved comments drawn into the static pages at build time: readable without JavaScript, in the
// JSON-LD, counted on the home page, inert however hostile, and within the page-weight budget.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Comment } from "../../client/api.ts";
import { renderContent } from "../../worker/render/content.ts";
import { buildSite, type BuiltSite } from "./build-site.ts";
import { parsePage, validateHtml, type Page } from "./html.ts";

const POST = "local-leadership-capabilities";
const OTHER = "system-leadership-matters";
const HOSTILE = `<script>alert(1)</script><img src=x onerror=alert(2)>"'&`;
const FORMATTED = "**Bold** and `code`:\n\n- a list item\n- [a link](https://example.org/formatted)";

const comment = (id: string, overrides: Partial<Comment> = {}): Comment => ({
  id, parentId: null, author: `Reader ${id}`, website: null, body: `Comment ${id}`, createdAt: `2026-01-0${Number(id) % 9 + 1}T10:00:00.000Z`, ...overrides,
});

const THREADS: Record<string, Comment[]> = {
  [POST]: [
    comment("1", { author: "Dr Richard Jones", body: "First paragraph.\n\nSecond paragraph,\nwith a line break and https://example.org/page." }),
    comment("2", { parentId: "1", author: "Jan Sobieraj", website: "https://example.org/jan" }),
    comment("3", { parentId: "2", author: HOSTILE, body: HOSTILE, website: "javascript:alert(3)" }),
    comment("4", { body: FORMATTED, content: renderContent(FORMATTED) }),
    comment("5", { author: "Leadership Academy", byBlog: true, content: renderContent("Thank you.") }),
    // A tree no worker would publish, as a compromised or mistaken service might send it.
    comment("6", { content: [{ tag: "script", attrs: {}, children: ["alert(6)"] }, { tag: "p", attrs: { onclick: "alert(6)" }, children: [
      { tag: "a", attrs: { href: "javascript:alert(6)" }, children: ["js"] }, { tag: "img", attrs: { src: "x", onerror: "alert(6)" }, children: [] },
    ] }] }),
  ],
  [OTHER]: [],
};

/** A stand-in comment service that serves `/api/comments/all` and counts the requests. */
function startService(threads: Record<string, Comment[]>): Promise<{ url: string; requests: () => number; server: Server }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    if (req.url !== "/api/comments/all") return void res.writeHead(404).end();
    const posts = Object.fromEntries(Object.entries(threads).map(([slug, comments]) => [slug, { title: slug, url: `/posts/${slug}/`, count: comments.length, comments }]));
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ version: 1, posts }));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    resolve({ url: `http://127.0.0.1:${port}`, requests: () => requests, server });
  }));
}

let service: Awaited<ReturnType<typeof startService>>;
let site: BuiltSite;
let page: Page;

beforeAll(async () => {
  service = await startService(THREADS);
  site = await buildSite({ env: { SITE_URL: "https://blog.example.org", COMMENTS_API_URL: service.url } });
  page = parsePage(site.read(`/posts/${POST}/`));
});
afterAll(() => new Promise<void>((resolve) => service.server.close(() => resolve())));

describe("a post page built with approved comments", () => {
  it("asks the comment service once for the whole site", () => {
    expect(service.requests()).toBe(1);
  });

  it("publishes the publication version it baked as /comments-version.json, for the worker to check", () => {
    const baked = JSON.parse(site.read("/comments-version.json")) as { version: number; builtAt: string };
    expect(baked.version).toBe(1);
    expect(Date.parse(baked.builtAt)).not.toBeNaN();
  });

  it("shows the thread in the HTML, with the old site's heading", () => {
    expect(page.text(".comments-title")).toBe("6 replies on “Local leadership capabilities”");
    expect(page.findAll("li.comment")).toHaveLength(6);
    expect(page.text("#comment-1 .comment-author")).toBe("Dr Richard Jones");
    expect(page.attr("#comment-1 time", "datetime")).toBe("2026-01-02T10:00:00.000Z");
  });

  it("nests replies under their parents", () => {
    expect(page.findAll("#comment-1 > ol.children > #comment-2")).toHaveLength(1);
    expect(page.findAll("#comment-2 > ol.children > #comment-3")).toHaveLength(1);
  });

  it("keeps paragraphs and line breaks, and links bare http(s) URLs with rel=nofollow ugc", () => {
    expect(page.findAll("#comment-1 > article .comment-content p")).toHaveLength(2);
    expect(page.findAll("#comment-1 > article .comment-content br")).toHaveLength(1);
    expect(page.attr("#comment-1 > article .comment-content a", "href")).toBe("https://example.org/page");
    expect(page.attr("#comment-2 .comment-author a", "rel")).toBe("nofollow ugc noopener");
  });

  it("renders hostile text as text: no element, no handler, no javascript: link", () => {
    const html = site.read(`/posts/${POST}/`);
    expect(page.text("#comment-3 .comment-content")).toBe(HOSTILE);
    expect(page.text("#comment-3 .comment-author")).toBe(HOSTILE);
    expect(page.findAll("#comment-thread script, #comment-thread img")).toHaveLength(0);
    expect(page.findAll("#comment-3 .comment-author a")).toHaveLength(0);
    expect(html).not.toContain("javascript:");
    expect(html).not.toContain("<script>alert");
    expect(page.findAll("[onerror]")).toHaveLength(0);
  });

  it("draws Markdown as strong, code, list items and a nofollow link", () => {
    expect(page.text("#comment-4 .comment-content strong")).toBe("Bold");
    expect(page.text("#comment-4 .comment-content code")).toBe("code");
    expect(page.findAll("#comment-4 .comment-content ul > li")).toHaveLength(2);
    expect(page.attr("#comment-4 .comment-content li a", "href")).toBe("https://example.org/formatted");
    expect(page.attr("#comment-4 .comment-content li a", "rel")).toBe("nofollow ugc noopener");
  });

  it("draws only allow-listed tags and attributes from a content tree, whatever the service sent", () => {
    expect(page.findAll("#comment-6 script, #comment-6 img, #comment-6 [onclick], #comment-6 .comment-content a")).toHaveLength(0);
    expect(page.text("#comment-6 .comment-content")).toBe("alert(6)js");
  });

  it("links each comment's date to its own address, for sharing and for :target", () => {
    expect(page.attr("#comment-4 .comment-meta > a", "href")).toBe("#comment-4");
    expect(page.findAll("#comment-4 .comment-meta > a > time")).toHaveLength(1);
  });

  it("shows an Author badge on the blog's own reply only", () => {
    expect(page.text("#comment-5 .comment-badge")).toBe("Author");
    expect(page.findAll(".comment-badge")).toHaveLength(1);
  });

  it("keeps Reply buttons hidden until the comment script can make them work", () => {
    expect(page.attr("#comment-1 .comment-reply", "hidden")).toBe("");
  });

  it("is valid HTML", async () => {
    expect(await validateHtml(site.read(`/posts/${POST}/`), "post.html")).toEqual([]);
  });

  it("carries the comments in its JSON-LD", () => {
    const data = JSON.parse(page.find('script[type="application/ld+json"]').textContent) as Record<string, unknown>;
    expect(data.commentCount).toBe(6);
    const comments = data.comment as { author: { name: string; url?: string }; text: string; parentItem?: { "@id": string } }[];
    expect(comments.slice(0, 3).map((c) => c.author.name)).toEqual(["Dr Richard Jones", "Jan Sobieraj", HOSTILE]);
    expect(comments[3]?.text).toBe("Bold and code:\n\na list item\na link");
    expect(comments[1]?.author.url).toBe("https://example.org/jan");
    expect(comments[2]?.author.url).toBeUndefined();
    expect(comments[1]?.parentItem?.["@id"]).toBe(`https://blog.example.org/posts/${POST}/#comment-1`);
  });

  it("draws no thread for a post without comments", () => {
    const other = parsePage(site.read(`/posts/${OTHER}/`));
    expect(other.findAll("#comment-thread *")).toHaveLength(0);
  });
});

describe("the home page built with approved comments", () => {
  it("shows each post's count without JavaScript", () => {
    const home = parsePage(site.read("/"));
    expect(home.text(`[data-comment-count="${POST}"]`)).toBe("6 replies");
    expect(home.attr(`[data-comment-count="${POST}"]`, "hidden")).toBeNull();
    expect(home.attr(`[data-comment-count="${OTHER}"]`, "hidden")).toBe("");
  });
});

describe("the page-weight budget with comments", () => {
  it("keeps a post page with 20 approved comments within 14 KB of gzipped HTML + CSS", async () => {
    const twenty = Array.from({ length: 20 }, (_, i) => comment(String(i + 1), {
      author: `Reader number ${i + 1}`,
      body: "A considered reply of a typical length, two or three sentences about leadership in the NHS and what it means locally. ".repeat(2),
    }));
    const busy = await startService({ [POST]: twenty, [OTHER]: [] });
    try {
      const built = await buildSite({ env: { SITE_URL: "https://blog.example.org", COMMENTS_API_URL: busy.url } });
      const html = built.read(`/posts/${POST}/`);
      expect(parsePage(html).findAll("li.comment")).toHaveLength(20);
      const bytes = gzipSync(html, { level: 9 }).length + gzipSync(readFileSync(join(built.dir, "assets", "site.css")), { level: 9 }).length;
      expect(bytes).toBeLessThanOrEqual(14 * 1024);
    } finally {
      await new Promise<void>((resolve) => busy.server.close(() => resolve()));
    }
  });
});
