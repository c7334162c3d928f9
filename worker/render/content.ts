// A comment's text as the markup tree readers see. The published thread carries it (worker/publish/thread.ts), so
// the site build and the comment script only draw a tree and never parse a comment themselves: the script
// stays small, and both draw exactly the same thing.
import type { MarkupNode } from "../../client/markup.ts";
import { renderMarkdown } from "./markdown.ts";
import type { Format } from "../intake/schema.ts";
import { renderWordPressHtml } from "./wp-html.ts";

/** The tree is at most this deep (emphasis can nest as far as the text goes); deeper elements become their text. */
export const MAX_CONTENT_DEPTH = 20;

/** The content tree of a comment's `body`, written in `format` (Markdown unless it was imported from WordPress). */
export function renderContent(body: string, format: Format = "markdown"): MarkupNode[] {
  const tree = format === "html" ? renderWordPressHtml(body) : renderMarkdown(body);
  return tree.map((node) => capDepth(node, 1));
}

function capDepth(node: MarkupNode, depth: number): MarkupNode {
  if (typeof node === "string") return node;
  if (depth > MAX_CONTENT_DEPTH) return textOf([node]);
  return { ...node, children: node.children.map((child) => capDepth(child, depth + 1)) };
}

/** The text of a content tree without its markup: blocks separated by blank lines, line breaks and items by newlines. */
export function textOf(nodes: readonly MarkupNode[]): string {
  const text = (node: MarkupNode): string => {
    if (typeof node === "string") return node;
    if (node.tag === "br") return "\n";
    const inner = node.children.map(text).join("");
    return node.tag === "li" ? `${inner}\n` : /^(?:p|pre|blockquote|ul|ol)$/.test(node.tag) ? `\n${inner}\n\n` : inner;
  };
  return nodes.map(text).join("").replace(/\n{3,}/g, "\n\n").trim();
}
