import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { htmlToText } from "../../scripts/moderate/html-text.ts";
import { isWxr, parseWxr } from "../../scripts/moderate/wxr.ts";

const FIXTURE = readFileSync(join(import.meta.dirname, "..", "fixtures", "wxr", "leadership-academy.xml"), "utf8");
const byId = (id: string) => parseWxr(FIXTURE).comments.find((comment) => comment.id === id);

describe("parseWxr", () => {
  it("takes only the approved comments, each on the post (or page) with the item's slug", () => {
    const { comments } = parseWxr(FIXTURE);
    expect(comments.map((c) => [c.id, c.post])).toEqual([
      ["wp-101", "local-leadership-capabilities"],
      ["wp-102", "local-leadership-capabilities"],
      ["wp-105", "local-leadership-capabilities"],
      ["wp-201", "system-leadership-matters"],
      ["wp-301", "about"],
    ]);
  });

  it("counts what it skips: pending, spam, trash and pingbacks", () => {
    expect(parseWxr(FIXTURE).skipped).toEqual({ pending: 2, spam: 1, trash: 1, pingbacks: 1, invalid: 0, tooLong: 0 });
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

  it("moves a reply to a comment that is not imported (pending here) to the top level, as WordPress shows orphans", () => {
    expect(byId("wp-105")?.parentId).toBeNull();
  });

  it("turns stored HTML into plain text: paragraphs, <br>, links with their address, entities", () => {
    expect(byId("wp-101")?.body).toBe(
      "A really useful summary & a fair challenge.\n\n" +
        "Our trust tried this last year:\nit worked once the board owned it.\n\n" +
        "See our report (http://www.example.org/report).",
    );
    expect(byId("wp-201")?.body).toBe("Systems, not silos.\n\nThree things helped us:\n- shared goals\n- shared data");
  });

  it("drops an empty email and a website that is not http(s), never passing a javascript: URL on", () => {
    expect(byId("wp-105")).toMatchObject({ email: null, website: null });
  });

  it("falls back to comment_date when WordPress wrote no GMT date (0000-00-00)", () => {
    expect(byId("wp-201")?.createdAt).toBe("2012-07-03T14:05:09.000Z");
  });

  it("gives the same ids and content on every parse, so re-importing stores nothing new", () => {
    expect(parseWxr(FIXTURE)).toEqual(parseWxr(FIXTURE));
  });

  it("puts a parent before its reply even when the reply is dated earlier", () => {
    const xml = wxr(
      comment({ id: 2, parent: 1, date: "2012-01-01 10:00:00" }) + comment({ id: 1, parent: 0, date: "2012-01-02 10:00:00" }),
    );
    expect(parseWxr(xml).comments.map((c) => c.id)).toEqual(["wp-1", "wp-2"]);
  });

  it("counts an approved comment with no text or no date as unreadable instead of importing it", () => {
    const xml = wxr(comment({ id: 1, body: "<p> </p>" }) + comment({ id: 2, date: "0000-00-00 00:00:00" }));
    expect(parseWxr(xml)).toMatchObject({ comments: [], skipped: { invalid: 2 } });
  });

  it("skips and counts a comment longer than the worker stores, which would otherwise sink its whole batch", () => {
    const xml = wxr(comment({ id: 1, body: "x".repeat(5001) }) + comment({ id: 2, body: "x".repeat(5000) }));
    expect(parseWxr(xml)).toMatchObject({ comments: [{ id: "wp-2" }], skipped: { tooLong: 1 } });
  });

  it("drops control characters the worker would refuse, keeping newlines", () => {
    const [only] = parseWxr(wxr(comment({ id: 1, author: "Ev\u0007e", body: "a\u001b[2Jb\nc" }))).comments;
    expect(only).toMatchObject({ author: "Eve", body: "a[2Jb\nc" });
  });

  it("nulls an email the worker's rule would refuse instead of losing the comment", () => {
    const xml = wxr(comment({ id: 1 }).replace("</wp:comment_id>", "</wp:comment_id><wp:comment_author_email>a@b..c</wp:comment_author_email>"));
    expect(parseWxr(xml).comments[0]?.email).toBeNull();
  });

  it("shortens an over-long name to the worker's 100 characters without splitting an emoji", () => {
    const [only] = parseWxr(wxr(comment({ id: 1, author: `${"a".repeat(99)}😀` }))).comments;
    expect(only?.author).toBe("a".repeat(99));
  });

  it("names an anonymous WordPress commenter 'Anonymous' (the worker requires a name)", () => {
    expect(parseWxr(wxr(comment({ id: 1, author: "" }))).comments[0]?.author).toBe("Anonymous");
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
