// How posts' Markdown is read: the settings Eleventy renders posts with, and the summary excerpt, which must agree.
import MarkdownIt from "markdown-it";

/**
 * The markdown-it options posts are rendered with: Eleventy's defaults (HTML allowed, for the odd embed an
 * author needs), with typographer off: the posts' curly quotes and dashes are typed as they were published, and
 * straight quotes an author types on purpose stay straight.
 */
export const MARKDOWN_OPTIONS = { html: true, linkify: false, typographer: false };

/** The part of markdown-it's API the site amends (Eleventy's markdown-it instance, and the summaries' own). */
export interface MarkdownSettings {
  set(options: typeof MARKDOWN_OPTIONS): unknown;
  disable(rule: string): unknown;
}

/**
 * Gives a markdown-it instance the site's settings: Eleventy's, which renders the posts (.eleventy.ts), and
 * `markdown` below, which reads summaries, so both read a post the same way.
 */
export function configureMarkdown<T extends MarkdownSettings>(md: T): T {
  md.set(MARKDOWN_OPTIONS);
  // Eleventy turns indented code blocks off (https://github.com/11ty/eleventy/issues/2438): an indented
  // paragraph is a paragraph, in the page and in its summary.
  md.disable("code");
  return md;
}

/** markdown-it with the site's settings, for reading a whole post outside Eleventy's rendering. */
export const markdown = configureMarkdown(new MarkdownIt());

/**
 * The same settings, for reading only a post's opening: a block rule, first in line, ends the parse as soon as a
 * paragraph has been read, so the blocks after it are never tokenised nor their text parsed.
 */
const opening = configureMarkdown(new MarkdownIt());
opening.block.ruler.before("table", "stop_after_first_paragraph", (state, _startLine, endLine) => {
  if (!state.tokens.some((token) => token.type === "paragraph_close")) return false;
  state.line = endLine;
  return true;
});

/** How much of a post the excerpt reads at first, in characters; doubled until its first paragraph ends inside. */
const OPENING_LENGTH = 1024;

/**
 * The tokens of a post's opening, up to and including its first paragraph, as a parse of the whole post gives them.
 * A summary then costs a kilobyte or so of parsing instead of a second parse of every post (at 4,000 posts without
 * an `intro`, that second parse was a sixth of the build). A paragraph that ends before the opening's last line ends
 * there in the whole post too: every block before it, and its own end, is decided by the lines up to that one.
 */
function openingTokens(source: string): ReturnType<typeof markdown.parse> {
  // A link reference ("[text][ref]") may be defined anywhere, below the paragraph too: a post that may define one
  // ("]:") is read whole, so its links read as links, as on the page.
  if (source.includes("]:")) return markdown.parse(source, {});
  for (let length = OPENING_LENGTH; ; length *= 2) {
    const cut = source.indexOf("\n", length);
    if (cut === -1) return opening.parse(source, {});
    const head = source.slice(0, cut + 1);
    const tokens = opening.parse(head, {});
    const lines = head.match(/\r\n?|\n/g)!.length;
    const paragraph = tokens.find((token) => token.type === "paragraph_open");
    if (paragraph?.map && paragraph.map[1] < lines) return tokens;
  }
}

/** Summaries stop near this many characters, at a word boundary. */
export const EXCERPT_LENGTH = 200;

/** The text of the first paragraph in `tokens` (a markdown-it parse), its markup dropped and its spaces collapsed. */
export function firstParagraphText(tokens: ReturnType<typeof markdown.parse>): string {
  const start = tokens.findIndex((token) => token.type === "paragraph_open");
  const inline = start === -1 ? undefined : tokens[start + 1];
  return (inline?.children ?? [])
    .map((child) => {
      if (child.type === "text" || child.type === "code_inline") return child.content;
      if (child.type === "softbreak" || child.type === "hardbreak") return " ";
      return "";
    })
    .join("")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The post's first paragraph as plain text, cut at a word boundary when longer than `maxLength`: the summary
 * of a post without an `intro`, in lists, feeds and the meta description.
 */
export function excerptOf(source: string, maxLength = EXCERPT_LENGTH): string {
  const text = firstParagraphText(openingTokens(source));
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength + 1);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > 0 ? cut.slice(0, lastSpace) : text.slice(0, maxLength)).replace(/[\s,;:.–—-]+$/, "")}…`;
}
