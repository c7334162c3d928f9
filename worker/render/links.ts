// Links in a comment's text: a bare http(s) address becomes a link, as comments always did, and
// every link a reader writes points only to http(s) and carries LINK_REL (client/markup.ts).
import { h, LINK_REL, safeHref, type MarkupElement, type MarkupNode } from "../../client/markup.ts";

const BARE_URL = /https?:\/\/[^\s<>"]+/y;
// Sentence punctuation after an address belongs to the sentence, not the link.
const TRAILING_PUNCTUATION = /[.,;:!?)\]'*_]+$/;

/** A link to `href` if it is an http(s) URL, else null. */
export function linkTo(href: string, ...children: MarkupNode[]): MarkupElement | null {
  const safe = safeHref(href);
  return safe ? h("a", { href: safe, rel: LINK_REL }, ...children) : null;
}

/** The bare address starting at `text[index]` (not inside a word) as a link, and how many characters it took. */
export function bareUrlAt(text: string, index: number): { link: MarkupElement; length: number } | null {
  if (index > 0 && /[\p{L}\p{N}]/u.test(text[index - 1]!)) return null;
  BARE_URL.lastIndex = index;
  const match = BARE_URL.exec(text);
  if (!match) return null;
  const url = match[0].replace(TRAILING_PUNCTUATION, "");
  const link = linkTo(url, url);
  return link ? { link, length: url.length } : null;
}

/** Text with its bare http(s) addresses as links. */
export function linkify(text: string): MarkupNode[] {
  const nodes: MarkupNode[] = [];
  let plain = "";
  for (let i = 0; i < text.length; ) {
    const found = text[i] === "h" ? bareUrlAt(text, i) : null;
    if (found) {
      if (plain) nodes.push(plain);
      nodes.push(found.link);
      plain = "";
      i += found.length;
    } else plain += text[i++];
  }
  if (plain) nodes.push(plain);
  return nodes;
}
