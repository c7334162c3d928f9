// Draws approved comments into the static pages at build time, with the very markup the comment script draws
// (client/markup.ts), so a reader without JavaScript, a feed reader and a search engine all see the thread.
import type { Comment } from "../client/api.ts";
import { threadMarkup, type MarkupNode } from "../client/markup.ts";

const VOID_ELEMENTS = new Set(["br"]);

/*
 * What the layouts and the build add to a page stays ASCII, with any other character written as a reference: a
 * summary's "…", the quotes of a thread's heading, the comments drawn in. V8 keeps a string with one character beyond Latin-1 as two bytes a
 * character, so one "…" in a post's meta description doubled the memory of the whole page, which the build keeps
 * until it ends, and slowed writing it: 0.35 s of a 4,000-post build (bench/site-build.ts). A post whose own text
 * is not ASCII pays that anyway, as it would on any Eleventy site.
 */

/** Escapes text for HTML content and double-quoted attribute values, every character outside ASCII as a reference. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']|[^\0-\x7f]/gu, (c) => `&#${c.codePointAt(0)};`);
}

/** Serialises markup as HTML: every text and attribute value escaped. */
export function toHtml(node: MarkupNode): string {
  if (typeof node === "string") return escapeHtml(node);
  const attrs = Object.entries(node.attrs)
    .map(([name, value]) => (value === "" ? ` ${name}` : ` ${name}="${escapeHtml(value)}"`))
    .join("");
  if (VOID_ELEMENTS.has(node.tag)) return `<${node.tag}${attrs}>`;
  return `<${node.tag}${attrs}>${node.children.map(toHtml).join("")}</${node.tag}>`;
}

/** The heading and nested list for a post's approved comments ("" when there are none). */
export function commentThreadHtml(comments: readonly Comment[], title: string): string {
  return threadMarkup(comments, title).map(toHtml).join("");
}
