// The Markdown renderer for posts, shared by Eleventy and the summary excerpt so both read a post the same way.
import MarkdownIt from "markdown-it";

/**
 * markdown-it as Eleventy configures it by default (HTML allowed, for the odd embed an author needs), with
 * typographer off: the posts' curly quotes and dashes are typed as they were published, and straight quotes
 * an author types on purpose stay straight.
 */
export const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false });

/** Summaries stop near this many characters, at a word boundary. */
export const EXCERPT_LENGTH = 200;

/**
 * The post's first paragraph as plain text, cut at a word boundary when longer than `maxLength`: the summary
 * of a post without an `intro`, in lists, feeds and the meta description.
 */
export function excerptOf(source: string, maxLength = EXCERPT_LENGTH): string {
  const tokens = markdown.parse(source, {});
  const start = tokens.findIndex((token) => token.type === "paragraph_open");
  const inline = start === -1 ? undefined : tokens[start + 1];
  const text = (inline?.children ?? [])
    .map((child) => {
      if (child.type === "text" || child.type === "code_inline") return child.content;
      if (child.type === "softbreak" || child.type === "hardbreak") return " ";
      return "";
    })
    .join("")
    .replace(/\s+/g, " ")
    .trim();
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength + 1);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > 0 ? cut.slice(0, lastSpace) : text.slice(0, maxLength)).replace(/[\s,;:.–—-]+$/, "")}…`;
}
