// Text the build writes into pages, written as ASCII: any other character becomes a reference (HTML) or an escape
// (JSON), which readers and parsers read as the same character. What the layouts add to a page then never makes it
// wider than its post: a summary's "…", the quotes of a thread's heading, the comments drawn in. V8 stores a string
// that holds one character beyond Latin-1 at two bytes a character, and a page built from such a piece stays so
// whole; the build keeps every page until it ends. One "…" in a post's description doubled its page's memory and
// slowed writing it: 0.35 s of a 4,000-post build (bench/site-build.ts). A post whose own text is not ASCII pays
// that anyway, as it would on any Eleventy site.

const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder();

/**
 * `text` with `pattern`'s matches replaced by `escape`, stored one byte a character. V8 builds the result of a
 * replace on a two-byte string as two-byte, even when every character left is ASCII; decoding it from UTF-8 again
 * makes a one-byte copy. Only such results are copied.
 */
function replaceToAscii(text: string, pattern: RegExp, escape: (match: string) => string): string {
  let wide = false;
  const result = text.replace(pattern, (match) => {
    if (match.charCodeAt(0) > 0x7f) wide = true;
    return escape(match);
  });
  return wide ? UTF8_DECODER.decode(UTF8_ENCODER.encode(result)) : result;
}

/** Escapes text for HTML content and double-quoted attribute values, every character outside ASCII as a reference. */
export function escapeHtml(text: string): string {
  return replaceToAscii(text, /[&<>"']|[^\0-\x7f]/gu, (c) => `&#${c.codePointAt(0)};`);
}

/**
 * Serialises structured data for an inline `<script type="application/ld+json">`. `<` is escaped so no text
 * (a title with "</script>" in it) can close the element early, and every character outside ASCII as `\uXXXX`.
 */
export function jsonForScript(value: unknown): string {
  return replaceToAscii(JSON.stringify(value), /[<\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
