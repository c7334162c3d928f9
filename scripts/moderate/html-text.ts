// Plain text from the HTML WordPress stored for a comment (the worker keeps plain-text bodies only).
// WordPress saves comments as typed, with whatever tags its kses filter allowed and entities it normalised;
// wpautop adds <p> and <br> only when it displays them, so the typed newlines are in the stored text too.

import { decodeEntities } from "../../worker/render/html-entities.ts";

export { decodeEntities };

// Control characters other than newline and tab, which the worker refuses.
export const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Converts the HTML WordPress stored for a comment into plain text: line breaks and paragraphs become newlines,
 * links keep their address, other tags are dropped and entities decoded. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/\r\n?/g, "\n")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/<a\b[^>]*?\bhref\s*=\s*(["'])(.*?)\1[^>]*>([\s\S]*?)<\/a\s*>/gi, (_, _q: string, href: string, label: string) => {
      const shown = stripTags(label).trim();
      const url = decodeEntities(href);
      return !shown || decodeEntities(shown) === url ? url : `${shown} (${url})`;
    })
    .replace(/<br\s*\/?>[ \t]*\n?/gi, "\n")
    .replace(/\s*<\/?(p|div|blockquote|h[1-6]|pre)\b[^>]*>\s*/gi, "\n\n")
    .replace(/\s*<\/?(ul|ol)\b[^>]*>\s*/gi, "\n")
    .replace(/\s*<li\b[^>]*>\s*/gi, "\n- ")
    .replace(/\s*<\/li\s*>/gi, "");
  return decodeEntities(stripTags(text))
    .replace(CONTROL, "")
    .replace(/[ \t\u00a0]+\n/g, "\n")
    .replace(/\n[ \t]+/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Drops every tag, keeping the text between them. */
export function stripTags(html: string): string {
  return html.replace(/<\/?[A-Za-z][^>]*>/g, "");
}
