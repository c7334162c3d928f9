import { describe, expect, it } from "vitest";
import { toHtml } from "../../../site/comment-thread.ts";
import { MAX_HTML_NESTING, renderWordPressHtml } from "../../../worker/render/wp-html.ts";

const html = (source: string) => renderWordPressHtml(source).map(toHtml).join("");
const REL = 'rel="nofollow ugc noopener"';

describe("renderWordPressHtml", () => {
  it("keeps each of WordPress's comment tags, b, i and strike as strong, em and s", () => {
    expect(html('<b>b</b> <strong>strong</strong> <i>i</i> <em>em</em> <del>del</del> <s>s</s> <strike>strike</strike> <code>code</code> <cite>cite</cite> <q>q</q> <abbr title="World Health Organization">WHO</abbr>')).toBe(
      '<p><strong>b</strong> <strong>strong</strong> <em>i</em> <em>em</em> <del>del</del> <s>s</s> <s>strike</s> <code>code</code> <cite>cite</cite> <q>q</q> <abbr title="World Health Organization">WHO</abbr></p>',
    );
  });

  it("keeps links to http(s) only, with rel=nofollow ugc noopener and no other attribute", () => {
    expect(html('<a href="https://example.org/?a=1&amp;b=2" onclick="x()" target="_blank">ok</a> <a href="javascript:alert(1)">js</a> <a href=\'data:text/html,x\'>data</a> <a name="x">anchor</a>')).toBe(
      `<p><a href="https://example.org/?a=1&#38;b=2" ${REL}>ok</a> js data anchor</p>`,
    );
  });

  it("lays out paragraphs as WordPress shows them: blank lines and <p> separate them, a newline or <br /> breaks a line", () => {
    expect(html("First\nline<br />\nsame paragraph\n\nSecond")).toBe("<p>First<br>line<br>same paragraph</p><p>Second</p>");
    expect(html("<p>One</p>\n<p>Two")).toBe("<p>One</p><p>Two</p>");
  });

  it("keeps blockquotes and lists, nested", () => {
    expect(html("<blockquote>Quoted\n\nagain</blockquote>\n<ul>\n<li>one</li>\n<li>two<ol><li>inner</li></ol></li>\n</ul>")).toBe(
      "<blockquote><p>Quoted</p><p>again</p></blockquote><ul><li>one</li><li>two<ol><li>inner</li></ol></li></ul>",
    );
  });

  it("closes unclosed tags and ignores end tags nothing opened", () => {
    expect(html("<em>open <strong>both</em> after</strong></b> <ul><li>a<li>b")).toBe("<p><em>open <strong>both</strong></em> after</p><ul><li>a</li><li>b</li></ul>");
  });

  it("drops script, style and iframe with their content, and other tags with their text kept", () => {
    expect(html('Hi<script>alert(1)</script><style>p{}</style><iframe src="https://evil.example"></iframe> <img src=x onerror=alert(1)><span onmouseover="x">there</span><svg onload=alert(1)>')).toBe("<p>Hi there</p>");
  });

  it("ends the paragraph at headings, tables and other blocks it does not keep", () => {
    expect(html("<h2>Heading</h2><table><tr><td>cell</td></tr></table>text")).toBe("<p>Heading</p><p>cell</p><p>text</p>");
  });

  it("keeps a table's rows as lines of text with their cells apart", () => {
    expect(html("<table>\n<tr><th>Measure</th><th>2012</th></tr>\n<tr><td>Handovers on time</td>\n<td>61%</td><td><em>88%</em></td></tr>\n</table>")).toBe(
      "<p>Measure | 2012</p><p>Handovers on time | 61% | <em>88%</em></p>",
    );
  });

  it("decodes entities into text that is never parsed again", () => {
    const source = "&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; &#8211; &#x2014; &bogus;";
    expect(renderWordPressHtml(source)).toEqual([{ tag: "p", attrs: {}, children: ["<script>alert(1)</script> &amp; – — &bogus;"] }]);
    expect(html(source)).toBe("<p>&#60;script&#62;alert(1)&#60;/script&#62; &#38;amp; &#8211; &#8212; &#38;bogus;</p>");
  });

  it("links bare addresses, except inside a link or code", () => {
    expect(html("see https://example.org/x, <code>https://no.example</code>")).toBe(`<p>see <a href="https://example.org/x" ${REL}>https://example.org/x</a>, <code>https://no.example</code></p>`);
  });

  it("keeps a lone < and text that only looks like a tag", () => {
    expect(html("a < b and 3<4 <3")).toBe("<p>a &#60; b and 3&#60;4 &#60;3</p>");
  });

  it(`nests elements at most ${MAX_HTML_NESTING} deep`, () => {
    const tree = html("<blockquote>".repeat(40) + "deep");
    expect(tree.match(/<blockquote>/g)!.length).toBeLessThanOrEqual(MAX_HTML_NESTING);
    expect(tree).toContain("deep");
  });
});
