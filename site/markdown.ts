// How posts' Markdown is read: the settings Eleventy renders posts with, and the summary excerpt, which must agree.
import MarkdownIt from "markdown-it";

/**
 * The markdown-it options posts are rendered with: Eleventy's defaults (HTML allowed, for the odd embed an
 * author needs), with typographer off: the posts' curly quotes and dashes are typed as they were published, and
 * straight quotes an author types on purpose stay straight.
 */
export const MARKDOWN_OPTIONS = { html: true, linkify: false, typographer: false };

/** The part of markdown-it's API the site amends; markdown-it 14 (Eleventy's) and 15 share it. */
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

/** markdown-it with the site's settings, for reading posts outside Eleventy's rendering (the summary excerpt). */
export const markdown = configureMarkdown(new MarkdownIt());

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
