import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { htmlToText } from "../../scripts/moderate/html-text.ts";
import { planImport } from "../../scripts/moderate/import/plan.ts";
import { parseMap } from "../../scripts/moderate/import/url-map.ts";
import { isWxr, parseWxr } from "../../scripts/moderate/import/wxr.ts";
import { toHtml } from "../../site/comment-thread.ts";
import { renderContent } from "../../worker/render/content.ts";

const FIXTURE = readFileSync(join(import.meta.dirname, "..", "fixtures", "wxr", "leadership-academy.xml"), "utf8");
const FORMATTED = readFileSync(join(import.meta.dirname, "..", "fixtures", "wxr", "formatted-comments.xml"), "utf8");
const POSTS = new Set(["local-leadership-capabilities", "system-leadership-matters"]);
/** The WXR file as the import would send it: parsed, then planned onto this site's posts. */
const plan = (xml: string) => planImport(parseWxr(xml), [], POSTS);
const byId = (id: string, xml = FIXTURE) => plan(xml).comments.find((comment) => comment.id === id);
/** The HTML a reader gets for an imported comment: the worker's renderer, drawn as the site draws it. */
const shown = (id: string) => {
  const comment = byId(id, FORMATTED)!;
  return renderContent(comment.body, comment.format).map(toHtml).join("");
};

describe("parseWxr", () => {
  it("takes the approved and the pending comments, each on the post with the item's slug, pending kept pending", () => {
    expect(plan(FIXTURE).comments.map((c) => [c.id, c.post, c.status])).toEqual([
      ["wp-101", "local-leadership-capabilities", "approved"],
      ["wp-102", "local-leadership-capabilities", "approved"],
      ["wp-103", "local-leadership-capabilities", "pending"],
      ["wp-105", "local-leadership-capabilities", "approved"],
      ["wp-201", "system-leadership-matters", "approved"],
      ["wp-203", "system-leadership-matters", "pending"],
    ]);
  });

  it("counts every comment by its WordPress status, pingbacks apart, and reports the page with no post by its URL", () => {
    const { byStatus, notComments, unmapped } = plan(FIXTURE);
    expect(byStatus).toEqual({ approved: 5, pending: 2, spam: 1, deleted: 1 });
    expect(notComments).toBe(1);
    expect(unmapped).toEqual([{ key: "about", url: "http://www.leadershipacademy.nhs.uk/blog/about/", comments: 1 }]);
  });

  it("maps author, email, website and the GMT date into the export format", () => {
    expect(byId("wp-101")).toMatchObject({
      author: "Sarah O'Neill",
      email: "sarah.oneill@example.org",
      website: "http://sarah.example.org/",
      createdAt: "2012-05-17T08:15:00.000Z",
      parentId: null,
    });
  });

  it("keeps a reply under its parent as wp-<comment_parent>", () => {
    expect(byId("wp-102")?.parentId).toBe("wp-101");
  });

  it("keeps a reply to a pending comment under it (readers see the reply once the parent is approved, or at the top until then)", () => {
    expect(byId("wp-105")?.parentId).toBe("wp-103");
  });

  it("keeps the comment's HTML as WordPress stored it, marked as html for the worker to render", () => {
    expect(byId("wp-101")).toMatchObject({
      format: "html",
      body: '<p>A <strong>really</strong> useful summary &amp; a fair challenge.</p>\n<p>Our trust tried this last year:<br />\n' +
        'it worked once the board owned it.</p>\nSee <a href="http://www.example.org/report" rel="nofollow">our report</a>.',
    });
  });

  it("keeps each of WordPress's comment tags through import and rendering", () => {
    expect(shown("wp-401")).toBe(
      '<p><a href="https://example.org/link" rel="nofollow ugc noopener">a link</a>, <abbr title="National Health Service">NHS</abbr>, <strong>b</strong>, ' +
        "<cite>cite</cite>, <code>code</code>, <del>del</del>, <em>em</em>, <em>i</em>, <q>q</q>, <s>s</s>, <s>strike</s>, <strong>strong</strong>.</p>" +
        "<blockquote><p>A quoted line<br>and its second line.</p></blockquote>" +
        "<ul><li>first bullet</li><li>second bullet</li></ul><ol><li>first step</li><li>second step</li></ol><p>Last paragraph.</p>",
    );
  });

  it("keeps the lists, quotes and emphasis of a theme-unit-test comment, and the text of headings and tables", () => {
    const html = shown("wp-403");
    expect(html).toContain("<ul><li>list item<ul><li>nested item</li></ul></li></ul>");
    expect(html).toContain("<blockquote><p>A blockquote with <em>emphasis</em> and <code>code</code>.</p></blockquote>");
    expect(html).toMatch(/^<p>Heading 1<\/p><p>Heading 2<\/p>/);
    expect(html).not.toMatch(/<h1|<h2|<table|<tr|<td|<th/);
  });

  it("makes hostile markup inert: no script, style, image, frame, handler or javascript: link, entities shown as text", () => {
    const html = shown("wp-402");
    expect(html).not.toMatch(/<script|<style|<img|<iframe|onerror|onclick|javascript:|data:text|href="\s/i);
    expect(html).toContain("<p>Before</p><p>js link spaced data<br><strong>bold with a handler</strong> <em><strong>unclosed<br>");
    expect(html).toContain("&#60;script&#62;alert(&#39;entity&#39;)&#60;/script&#62; &#38;lt;b&#38;gt; &#60;i&#62;");
    expect(html).not.toContain("alert(&#39;script&#39;)");
    expect(html).not.toContain("display:none");
  });

  it("marks the post author's own replies as the blog's, and no other registered user's", () => {
    expect(byId("wp-404", FORMATTED)).toMatchObject({ byBlog: true, parentId: "wp-401" });
    expect(byId("wp-405", FORMATTED)).not.toHaveProperty("byBlog");
    expect(byId("wp-401", FORMATTED)).not.toHaveProperty("byBlog");
  });

  it("drops an empty email and a website that is not http(s), never passing a javascript: URL on", () => {
    expect(byId("wp-105")).toMatchObject({ email: null, website: null });
  });

  it("falls back to comment_date when WordPress wrote no GMT date (0000-00-00)", () => {
    expect(byId("wp-201")?.createdAt).toBe("2012-07-03T14:05:09.000Z");
  });

  it("gives the same ids and content on every parse, so re-importing stores nothing new", () => {
    expect(plan(FIXTURE)).toEqual(plan(FIXTURE));
  });

  it("puts a parent before its reply even when the reply is dated earlier", () => {
    const xml = wxr(
      comment({ id: 2, parent: 1, date: "2012-01-01 10:00:00" }) + comment({ id: 1, parent: 0, date: "2012-01-02 10:00:00" }),
    );
    expect(plan(xml).comments.map((c) => c.id)).toEqual(["wp-1", "wp-2"]);
  });

  it("counts an approved comment with no text, and refuses one with no date, naming it", () => {
    expect(plan(wxr(comment({ id: 1, body: "<p> </p>" }) + comment({ id: 3, body: " " })))).toMatchObject({ comments: [], empty: 2 });
    expect(() => parseWxr(wxr(comment({ id: 2, date: "0000-00-00 00:00:00" })))).toThrow("comment 2 on system-leadership-matters: createdAt");
  });

  it("imports a published comment longer than the submission limit whole", () => {
    const xml = wxr(comment({ id: 1, body: "x".repeat(5001) }) + comment({ id: 2, body: "x".repeat(5000) }));
    expect(plan(xml).comments.map((c) => [c.id, c.body.length])).toEqual([["wp-1", 5001], ["wp-2", 5000]]);
  });

  it("drops control characters the worker would refuse, keeping newlines", () => {
    const [only] = plan(wxr(comment({ id: 1, author: "Ev\u0007e", body: "a\u001b[2Jb\nc" }))).comments;
    expect(only).toMatchObject({ author: "Eve", body: "a[2Jb\nc" });
  });

  it("stores line ends as the worker does (LF), so an import stores exactly what it sent", () => {
    const [only] = plan(wxr(comment({ id: 1, body: "a\r\nb\rc" }))).comments;
    expect(only?.body).toBe("a\nb\nc");
  });

  it("nulls an email the worker's rule would refuse instead of losing the comment", () => {
    const xml = wxr(comment({ id: 1 }).replace("</wp:comment_id>", "</wp:comment_id><wp:comment_author_email>a@b..c</wp:comment_author_email>"));
    expect(plan(xml).comments[0]?.email).toBeNull();
  });

  it("shortens an over-long name to the worker's 100 characters without splitting an emoji", () => {
    const [only] = plan(wxr(comment({ id: 1, author: `${"a".repeat(99)}😀` }))).comments;
    expect(only?.author).toBe("a".repeat(99));
  });

  it("names an anonymous WordPress commenter 'Anonymous' (the worker requires a name)", () => {
    expect(plan(wxr(comment({ id: 1, author: "" }))).comments[0]?.author).toBe("Anonymous");
  });
});

describe("isWxr", () => {
  it("recognises a WordPress export by its content, not its file name", () => {
    expect(isWxr(FIXTURE)).toBe(true);
    expect(isWxr(`\uFEFF${FIXTURE}`)).toBe(true);
  });

  it("does not take JSON or other XML for a WordPress export", () => {
    expect(isWxr('[{"post":"a"}]')).toBe(false);
    expect(isWxr('<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>')).toBe(false);
  });
});

describe("htmlToText", () => {
  it("keeps text that merely looks like markup operators, and decodes numeric entities", () => {
    expect(htmlToText("2 &lt; 3 and 5 &gt; 4 &#8211; fine &#x2014; ok")).toBe("2 < 3 and 5 > 4 – fine — ok");
  });

  it("drops scripts entirely rather than leaving their code as text", () => {
    expect(htmlToText("Hello<script>alert(1)</script> there")).toBe("Hello there");
  });

  it("shows a bare link once, not as 'address (address)'", () => {
    expect(htmlToText('<a href="https://example.org/">https://example.org/</a>')).toBe("https://example.org/");
  });
});

function wxr(comments: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<item><wp:post_name><![CDATA[system-leadership-matters]]></wp:post_name>${comments}</item>
</channel></rss>`;
}

function comment(c: { id: number; parent?: number; date?: string; body?: string; author?: string }): string {
  return `<wp:comment><wp:comment_id>${c.id}</wp:comment_id>
<wp:comment_author><![CDATA[${c.author ?? "Reader"}]]></wp:comment_author>
<wp:comment_date_gmt><![CDATA[${c.date ?? "2012-01-01 10:00:00"}]]></wp:comment_date_gmt>
<wp:comment_content><![CDATA[${c.body ?? "Text"}]]></wp:comment_content>
<wp:comment_approved><![CDATA[1]]></wp:comment_approved><wp:comment_type><![CDATA[]]></wp:comment_type>
<wp:comment_parent>${c.parent ?? 0}</wp:comment_parent></wp:comment>`;
}

describe("a WordPress theme-unit-test export", () => {
  const THEME = readFileSync(join(import.meta.dirname, "..", "fixtures", "wxr", "theme-unit-test.xml"), "utf8");
  const rules = parseMap("https://wpthemetestdata.wordpress.com/2012/01/03/template-comments/ local-leadership-capabilities");
  const themePlan = planImport(parseWxr(THEME), rules, POSTS);
  const theme = (id: string) => themePlan.comments.find((c) => c.id === id)!;

  it("imports its pending comments pending and its approved ones approved; spam, trash and the pingback are counted", () => {
    expect(themePlan.comments.map((c) => [c.id, c.status, c.parentId])).toEqual([
      ["wp-881", "approved", null],
      ["wp-882", "pending", "wp-881"],
      ["wp-883", "pending", null],
      [expect.stringMatching(/^wordpress-/), "approved", null],
      ["wp-886", "approved", expect.stringMatching(/^wordpress-/)],
    ]);
    expect(themePlan).toMatchObject({ byStatus: { approved: 2, pending: 2, spam: 1, deleted: 1 }, notComments: 1, placeholders: 1 });
    expect(theme("wp-886")).toMatchObject({ byBlog: true, createdAt: "2013-03-16T09:00:00.000Z" });
  });

  it("imports the long formatted comment whole, headings as text, its lists, quote and code kept", () => {
    const long = theme("wp-881");
    expect(long.body.length).toBeGreaterThan(7000);
    expect(long.body).toBe(/<wp:comment_content><!\[CDATA\[([\s\S]*?)\]\]>/.exec(THEME)![1]);
    const html = renderContent(long.body, long.format).map(toHtml).join("");
    expect(html).toMatch(/^<p>What we learned in a year<\/p><p>Leadership in a busy ward/);
    expect(html).toContain("<ol><li>What matters most to the people we care for?</li>");
    expect(html).toContain("<ul><li>Handovers started on time<ul><li>morning</li><li>evening</li></ul></li>");
    expect(html).toContain("<blockquote><p>So we changed the order.");
    // The renderer keeps code's lines (not their indentation) and a table's rows as lines of text.
    expect(html).toContain("<code>every Monday:<br>print the three charts<br>");
    expect(html).toContain("<p>Handovers on time | 61% | 88%</p>");
    expect(html).not.toMatch(/<h[1-6]|<table|<td|<th/);
    expect(html).toContain("The end.</p>");
  });
});
