// The small pure helpers behind the templates: site metadata, dates, URLs, tags, summaries, structured data.
import { fc, test } from "@fast-check/vitest";
import { serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import { escapeHtml, jsonForScript } from "../../site/ascii.ts";
import { absoluteUrl, isoDate, readableDate, userTags } from "../../site/filters.ts";
import MarkdownIt from "markdown-it";
import { configureMarkdown, excerptOf, firstParagraphText, markdown } from "../../site/markdown.ts";
import { readSiteMetadata } from "../../site/metadata.ts";
import { decode } from "./html.ts";

describe("readSiteMetadata", () => {
  it("defaults to the local URLs npm start serves", () => {
    expect(readSiteMetadata({})).toMatchObject({
      title: "Leadership Academy",
      url: "http://localhost:8080",
      commentsApiUrl: "http://localhost:8787",
      language: "en-GB",
    });
  });

  it("takes SITE_URL and COMMENTS_API_URL from the environment, without a trailing slash", () => {
    const site = readSiteMetadata({ SITE_URL: "https://blog.example.org/", COMMENTS_API_URL: "https://api.example.org/" });
    expect(site.url).toBe("https://blog.example.org");
    expect(site.commentsApiUrl).toBe("https://api.example.org");
  });

  it("fails the build with the variable's name when a URL is not an absolute http(s) URL", () => {
    expect(() => readSiteMetadata({ SITE_URL: "blog.example.org" })).toThrow("SITE_URL must be an absolute URL");
    expect(() => readSiteMetadata({ COMMENTS_API_URL: "ftp://x.org" })).toThrow("COMMENTS_API_URL must be an http(s) URL");
  });
});

describe("readableDate and isoDate", () => {
  it("write a post's calendar day the British way and as ISO, in UTC so no time zone moves the day", () => {
    const date = new Date("2012-09-24T00:00:00Z");
    expect(readableDate(date)).toBe("24 September 2012");
    expect(isoDate(date)).toBe("2012-09-24");
  });
});

describe("absoluteUrl", () => {
  it("joins a root-relative path to the site URL, keeping a sub-path", () => {
    expect(absoluteUrl("/posts/a/", "https://blog.example.org")).toBe("https://blog.example.org/posts/a/");
    expect(absoluteUrl("posts/a/", "https://example.org/blog")).toBe("https://example.org/blog/posts/a/");
  });
});

describe("userTags", () => {
  it("drops the internal collection tags and accepts a single tag", () => {
    expect(userTags(["posts", "NHS", "all"])).toEqual(["NHS"]);
    expect(userTags("NHS")).toEqual(["NHS"]);
    expect(userTags(undefined)).toEqual([]);
  });
});

describe("jsonForScript", () => {
  it("cannot close its <script> element early, whatever the text", () => {
    const json = jsonForScript({ headline: "</script><script>alert(1)</script>" });
    expect(json).not.toContain("<");
    expect(JSON.parse(json)).toEqual({ headline: "</script><script>alert(1)</script>" });
  });

  it("writes every character outside ASCII as an escape, and reads back the same", () => {
    const value = { description: "It’s “quoted”… Zoë 😀" };
    const json = jsonForScript(value);
    expect(json).toMatch(/^[\x00-\x7f]*$/);
    expect(json).toContain("It\\u2019s \\u201cquoted\\u201d\\u2026");
    expect(JSON.parse(json)).toEqual(value);
  });
});

/** True when V8 stores `text` at one byte a character: its serialiser tags such a string '"', a two-byte one 'c'. */
const isOneByte = (text: string): boolean => serialize(text)[2] === 0x22;

describe("escapeHtml and jsonForScript, which keep what the build adds to a page ASCII", () => {
  const long = `${"A summary long enough to be stored on the heap, not inlined, ".repeat(4)}cut short…`;

  it("make strings stored one byte a character, even from text that held a wider character", () => {
    expect(isOneByte(long)).toBe(false);
    expect(isOneByte(long.replace(/…/g, "..."))).toBe(false);
    expect(isOneByte(escapeHtml(long))).toBe(true);
    expect(isOneByte(jsonForScript({ description: long }))).toBe(true);
  });
});

describe("escapeHtml", () => {
  it("escapes markup and writes every character outside ASCII as a reference, which reads back the same", () => {
    const text = `<b>"Tom" & 'Zoë'</b>… 😀`;
    const html = escapeHtml(text);
    expect(html).toBe("&#60;b&#62;&#34;Tom&#34; &#38; &#39;Zo&#235;&#39;&#60;/b&#62;&#8230; &#128512;");
    expect(decode(html)).toBe(text);
  });

  it("leaves plain ASCII text as it is", () => {
    expect(escapeHtml("Plain text, 100% ASCII.")).toBe("Plain text, 100% ASCII.");
  });
});

describe("excerptOf", () => {
  it("is the first paragraph as plain text", () => {
    expect(excerptOf("First *paragraph* with `code` &amp; [a link](/x).\n\nSecond.")).toBe(
      "First paragraph with code & a link.",
    );
  });

  it("stops at a word boundary with an ellipsis when the paragraph is long", () => {
    const excerpt = excerptOf(`${"word ".repeat(60)}end.`, 50);
    expect(excerpt).toBe(`${"word ".repeat(9)}word…`);
    expect(excerpt.length).toBeLessThanOrEqual(51);
  });

  it("is empty for a post with no paragraph", () => {
    expect(excerptOf("# Only a heading")).toBe("");
  });

  it("reads an indented paragraph as a paragraph, as Eleventy renders it (indented code blocks are off)", () => {
    expect(excerptOf("    An indented first paragraph.")).toBe("An indented first paragraph.");
  });

  it("reads a link whose reference is defined at the end of a long post as a link", () => {
    const post = `See [the programme][p] for details.\n\n${"Filler text. ".repeat(200)}\n\n[p]: https://example.org/p`;
    expect(excerptOf(post)).toBe("See the programme for details.");
  });

  // Blocks that end only where a later line says (fences, quotes, setext headings, tables, HTML, references), long
  // enough that a post crosses the point where the excerpt stops reading, joined by LF or CRLF line breaks.
  const filler = (n: number) => "Leadership *matters* in `care`, see [the academy](https://example.org/a). ".repeat(n).trim();
  const block = fc.oneof(
    fc.integer({ min: 1, max: 12 }).map(filler),
    fc.constantFrom(
      "# A heading", "A setext heading\n===", "A setext heading\n---", "---", "    indented text",
      "- an item\n- another item", "1. first\n2. second\n\n   a second paragraph", "- item\nlazy line",
      "> quoted\nlazy continuation", "> quoted\n>\n> second", "```\ncode\n\nmore code\n```", "```sh\nan unclosed fence",
      "<div>\n<p>HTML</p>\n</div>", "<!-- a comment -->", "| a | b |\n| --- | --- |\n| 1 | 2 |", "a | b\n--- | ---",
      "See [the reference][r] and [r].", "[r]: https://example.org/r", "- [r]: https://example.org/in-a-list", "",
    ),
  );
  const post = fc.tuple(fc.array(block, { maxLength: 8 }), fc.constantFrom("\n\n", "\n", "\r\n\r\n", "\r\n"))
    .map(([blocks, gap]) => blocks.join(gap).replaceAll("\n", gap.startsWith("\r") ? "\r\n" : "\n"));

  test.prop([post], { numRuns: 3000 })("gives the first paragraph a parse of the whole post gives, whatever follows it", (source) => {
    expect(excerptOf(source, Number.MAX_SAFE_INTEGER)).toBe(firstParagraphText(markdown.parse(source, {})));
  });
});

describe("configureMarkdown", () => {
  it("gives markdown-it the site's settings: HTML allowed, text as typed, no indented code blocks", () => {
    const md = configureMarkdown(new MarkdownIt());
    expect(md.render('"Quotes" -- and (c) stay as typed <b>here</b>')).toBe('<p>&quot;Quotes&quot; -- and (c) stay as typed <b>here</b></p>\n');
    expect(md.render("    indented")).toBe("<p>indented</p>\n");
  });
});
