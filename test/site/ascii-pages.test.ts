// A post written in plain ASCII builds to a page of plain ASCII, even where the build adds text of its own: the
// summary's "…" in the head and the JSON-LD, the thread heading's quotes, a reader's accents. Each is written as a
// reference instead (site/ascii.ts), so the build holds the page as a one-byte string; readers see the same text.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Comment } from "../../client/api.ts";
import { buildSite, createProject, type BuiltSite } from "./build-site.ts";
import { parsePage, type Page } from "./html.ts";

const SITE_URL = "https://blog.example.org";
const OPENING = "An opening paragraph long enough to be cut for the summary, ".repeat(5).trim();

let site: BuiltSite;
let page: Page;

beforeAll(async () => {
  const project = createProject({});
  writeFileSync(join(project, "posts", "plain.md"), `---\ntitle: A plain post\ndate: 2024-03-01\nauthor: Test Author\ntags: [fixtures]\n---\n${OPENING}\n\nA second paragraph.\n`);
  const comment: Comment = { id: "1", parentId: null, author: "Zoë", website: null, body: "It’s “good”… 😀", createdAt: "2026-01-02T10:00:00.000Z" };
  const snapshot = join(mkdtempSync(join(tmpdir(), "ascii-pages-")), "comments.json");
  writeFileSync(snapshot, JSON.stringify({ savedAt: "2026-03-08T00:00:00.000Z", threads: { plain: [comment] } }));
  site = await buildSite({ project, env: { SITE_URL, COMMENTS_SNAPSHOT: snapshot } });
  page = parsePage(site.read("/posts/plain/"));
});

describe("a post page built from plain ASCII", () => {
  it("is ASCII from its first byte to its last", () => {
    const nonAscii = site.read("/posts/plain/").match(/[^\x00-\x7f]/gu) ?? [];
    expect(nonAscii).toEqual([]);
  });

  it("still reads with the summary's ellipsis, in the head and in the JSON-LD", () => {
    const description = page.attr('meta[name="description"]', "content")!;
    expect(description.endsWith("…")).toBe(true);
    expect(page.attr('meta[property="og:description"]', "content")).toBe(description);
    const json = JSON.parse(page.find('script[type="application/ld+json"]').textContent) as { description: string };
    expect(json.description).toBe(description);
  });

  it("still reads with the thread's quotes and the reader's own characters", () => {
    expect(page.text(".comments-title")).toBe("1 reply on “A plain post”");
    expect(page.text("#comment-thread")).toContain("Zoë");
    expect(page.text("#comment-thread")).toContain("It’s “good”… 😀");
    expect(page.attr('head link[href="/posts/plain/comments.xml"]', "title")).toBe("Comments on “A plain post”");
  });
});
