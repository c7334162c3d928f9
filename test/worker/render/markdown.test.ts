import { describe, expect, it } from "vitest";
import { toHtml } from "../../../site/comment-thread.ts";
import { MAX_BLOCK_NESTING, renderMarkdown } from "../../../worker/render/markdown.ts";

/** The HTML the site would draw for a comment written as `source`. */
const html = (source: string) => renderMarkdown(source).map(toHtml).join("");
const REL = 'rel="nofollow ugc noopener"';

describe("renderMarkdown", () => {
  it("separates paragraphs at blank lines and keeps a single newline as a line break", () => {
    expect(html("First line\nsecond line\n\nNew paragraph")).toBe("<p>First line<br>second line</p><p>New paragraph</p>");
  });

  it("draws **strong**, *emphasis*, _emphasis_ and `inline code`", () => {
    expect(html("**bold** *em* _also em_ __strong too__ `a < b`")).toBe(
      "<p><strong>bold</strong> <em>em</em> <em>also em</em> <strong>strong too</strong> <code>a &#60; b</code></p>",
    );
  });

  it("nests emphasis in strong and leaves unpaired or intraword underscores as text", () => {
    expect(html("***both*** **a *b* c** snake_case_name 2 * 3 **open")).toBe(
      "<p><em><strong>both</strong></em> <strong>a <em>b</em> c</strong> snake_case_name 2 * 3 **open</p>",
    );
  });

  it("keeps everything inside a code span or a fenced code block as text", () => {
    expect(html("`**not bold**`")).toBe("<p><code>**not bold**</code></p>");
    expect(html("```html\n<b>x</b>\n  indented *x*\n```\nafter")).toBe("<pre><code>&#60;b&#62;x&#60;/b&#62;\n  indented *x*</code></pre><p>after</p>");
    expect(html("~~~\nunclosed fence runs to the end")).toBe("<pre><code>unclosed fence runs to the end</code></pre>");
  });

  it("draws > quotes, with Markdown inside them", () => {
    expect(html("> quoted **text**\n> second line\n\nafter")).toBe("<blockquote><p>quoted <strong>text</strong><br>second line</p></blockquote><p>after</p>");
    expect(html("> outer\n>> inner")).toBe("<blockquote><p>outer</p><blockquote><p>inner</p></blockquote></blockquote>");
  });

  it("draws bulleted and numbered lists, nested by indentation", () => {
    expect(html("- one\n- two\n  - nested\n* other list")).toBe("<ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul><ul><li>other list</li></ul>");
    expect(html("1. first\n2. second")).toBe("<ol><li>first</li><li>second</li></ol>");
    expect(html("3) third\n4) fourth")).toBe('<ol start="3"><li>third</li><li>fourth</li></ol>');
  });

  it("keeps paragraphs in a list whose items are separated by blank lines", () => {
    expect(html("- one\n\n- two\n\n  more of two")).toBe("<ul><li><p>one</p></li><li><p>two</p><p>more of two</p></li></ul>");
  });

  it("starts a list after a paragraph line only with a bullet or the number 1", () => {
    expect(html("Intro:\n- item")).toBe("<p>Intro:</p><ul><li>item</li></ul>");
    expect(html("In the year\n2012. it rained")).toBe("<p>In the year<br>2012. it rained</p>");
  });

  it("links [text](url), <url> and bare http(s) addresses with rel=nofollow ugc noopener", () => {
    expect(html("[the **site**](https://example.org/a_(b)) and <http://x.example/p> and https://example.org/snake_case.")).toBe(
      `<p><a href="https://example.org/a_(b)" ${REL}>the <strong>site</strong></a> and <a href="http://x.example/p" ${REL}>http://x.example/p</a> and <a href="https://example.org/snake_case" ${REL}>https://example.org/snake_case</a>.</p>`,
    );
  });

  it("leaves a link to anything but http(s) as the text that was typed", () => {
    for (const source of ["[click](javascript:alert(1))", "[x](data:text/html,<script>alert(1)</script>)", "[rel](/relative)", "<javascript:alert(1)>"]) {
      expect(renderMarkdown(source)).toEqual([{ tag: "p", attrs: {}, children: [source] }]);
    }
  });

  it("shows raw HTML and entities as text, never as elements", () => {
    expect(html('<script>alert(1)</script> <img src=x onerror="alert(1)"> &amp;')).toBe(
      "<p>&#60;script&#62;alert(1)&#60;/script&#62; &#60;img src=x onerror=&#34;alert(1)&#34;&#62; &#38;amp;</p>",
    );
  });

  it("keeps headings and tables as text, and shows an image as a link to it, never loading it", () => {
    expect(html("# Heading\n| a | b |\n![alt](https://example.org/i.png)")).toBe(
      `<p># Heading<br>| a | b |<br>!<a href="https://example.org/i.png" ${REL}>alt</a></p>`,
    );
  });

  it("lets a backslash show a Markdown character as itself", () => {
    expect(html("\\*not em\\* \\[not a link\\](https://x.example)")).toBe(`<p>*not em* [not a link](<a href="https://x.example/" ${REL}>https://x.example</a>)</p>`);
  });

  it(`stops nesting quotes and lists at ${MAX_BLOCK_NESTING} levels`, () => {
    const deep = html(">".repeat(MAX_BLOCK_NESTING + 5) + " deep");
    expect(deep.match(/<blockquote>/g)).toHaveLength(MAX_BLOCK_NESTING);
    expect(deep).toContain("&#62;&#62;&#62;&#62;&#62; deep");
  });
});
