// Draws approved comments into the static pages at build time, with the very markup the comment script draws
// (client/markup.ts), so a reader without JavaScript, a feed reader and a search engine all see the thread.
import type { Comment } from "../client/api.ts";
import { threadMarkup, type MarkupNode } from "../client/markup.ts";
import { escapeHtml } from "./ascii.ts";

const VOID_ELEMENTS = new Set(["br"]);

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
