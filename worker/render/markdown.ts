// The small Markdown subset comments accept, turned into the markup tree the site and the comment
// script draw (client/markup.ts): paragraphs, line breaks, *emphasis*, **strong**, `code`, fenced code blocks,
// > blockquotes, bulleted and numbered lists, [links](https://…), <https://…> and bare addresses.
//
// Why a parser of our own rather than a library: markdown-it is about 40 KB gzipped in a worker bundle (its own
// entity table, linkify and the full CommonMark grammar), most of the 50 KB budget, and parses raw HTML unless
// told not to. This covers exactly the subset, in the spirit of CommonMark (https://spec.commonmark.org/0.31.2/),
// with three deliberate differences readers of the old site expect: a single newline is a line break, raw HTML
// and entities (&amp;) are shown as typed, and headings, tables, images and rules stay plain text.
// Nothing here ever produces HTML: only elements from CONTENT_TAGS and text nodes.
import { h, type MarkupElement, type MarkupNode } from "../../client/markup.ts";
import { bareUrlAt, linkTo } from "./links.ts";

/** Blockquotes and lists nest at most this deep; deeper markers stay text. */
export const MAX_BLOCK_NESTING = 8;

const BLANK = /^[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const QUOTE = /^ {0,3}> ?/;
// A list item: up to 3 spaces, a bullet (- * +) or a number with . or ), then a space or the line's end.
const ITEM = /^ {0,3}([-*+]|(\d{1,9})[.)])(?:[ \t]+|$)/;
const ESCAPABLE = /[!-/:-@[-`{-~]/;

/** The tree of a Markdown comment: a list of block elements (p, pre, blockquote, ul, ol). */
export function renderMarkdown(source: string): MarkupElement[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n").map((line) => line.replace(/^\t+/, (tabs) => "    ".repeat(tabs.length)));
  return blocks(lines, 0);
}

function blocks(lines: readonly string[], depth: number): MarkupElement[] {
  const out: MarkupElement[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = openingFence(line);
    if (BLANK.test(line)) i++;
    else if (fence) {
      const code: string[] = [];
      for (i++; i < lines.length && !closesFence(lines[i]!, fence); i++) code.push(lines[i]!);
      i++;
      out.push(h("pre", {}, h("code", {}, code.join("\n"))));
    } else if (depth < MAX_BLOCK_NESTING && QUOTE.test(line)) {
      const quoted: string[] = [];
      for (; i < lines.length && QUOTE.test(lines[i]!); i++) quoted.push(lines[i]!.replace(QUOTE, ""));
      out.push(h("blockquote", {}, ...blocks(quoted, depth + 1)));
    } else if (depth < MAX_BLOCK_NESTING && ITEM.test(line)) {
      i = list(lines, i, depth, out);
    } else {
      const paragraph = [line.trim()];
      for (i++; i < lines.length && !BLANK.test(lines[i]!) && !interrupts(lines[i]!, depth); i++) paragraph.push(lines[i]!.trim());
      out.push(h("p", {}, ...inline(paragraph.join("\n"), true)));
    }
  }
  return out;
}

function openingFence(line: string): string | null {
  const match = FENCE.exec(line);
  // A backtick fence's info string may not contain a backtick (that is inline code: ```a```).
  return match && !(match[1]![0] === "`" && match[2]!.includes("`")) ? match[1]! : null;
}

function closesFence(line: string, fence: string): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return match !== null && match[1]![0] === fence[0] && match[1]!.length >= fence.length;
}

/** Whether `line` starts a new block in the middle of a paragraph (a numbered list only when it starts at 1). */
function interrupts(line: string, depth: number): boolean {
  if (openingFence(line)) return true;
  if (depth >= MAX_BLOCK_NESTING) return false;
  const item = ITEM.exec(line);
  const startsList = item !== null && !BLANK.test(line.slice(item[0].length)) && (item[2] === undefined || Number(item[2]) === 1);
  return QUOTE.test(line) || startsList;
}

const markerOf = (item: RegExpExecArray) => item[1]!.at(-1)!;
const indentOf = (line: string) => /^ */.exec(line)![0].length;

/** Reads the list starting at `lines[start]` into `out`; returns the index of the first line after it. */
function list(lines: readonly string[], start: number, depth: number, out: MarkupElement[]): number {
  const first = ITEM.exec(lines[start]!)!;
  const marker = markerOf(first);
  const items: string[][] = [];
  let loose = false;
  let indent = 0;
  let i = start;
  while (i < lines.length) {
    const line = lines[i]!;
    const item = ITEM.exec(line);
    const current = items.at(-1);
    if (item && markerOf(item) === marker && (!current || indentOf(line) < indent)) {
      indent = item[0].length;
      items.push([line.slice(indent)]);
      i++;
    } else if (!current) {
      break;
    } else if (BLANK.test(line)) {
      // A blank line belongs to the list only if the item goes on (indented) or another item follows.
      let next = i;
      while (next < lines.length && BLANK.test(lines[next]!)) next++;
      const after = lines[next];
      const nextItem = after === undefined ? null : ITEM.exec(after);
      if (after === undefined || (indentOf(after) < indent && !(nextItem && markerOf(nextItem) === marker))) break;
      loose = true;
      for (; i < next; i++) current.push("");
    } else if (indentOf(line) >= indent) {
      current.push(line.slice(indent));
      i++;
    } else if (current.at(-1) !== "" && !interrupts(line, depth)) {
      // A lazy continuation line of the item's paragraph.
      current.push(line.trim());
      i++;
    } else break;
  }
  const number = first[2] === undefined ? null : Number(first[2]);
  const attrs: Record<string, string> = number !== null && number !== 1 ? { start: String(number) } : {};
  const element = h(number === null ? "ul" : "ol", attrs);
  for (const itemLines of items) {
    const content = blocks(itemLines, depth + 1);
    // A tight list's items hold their text directly, as in CommonMark.
    element.children.push(h("li", {}, ...(loose ? content : content.flatMap((b) => (b.tag === "p" ? b.children : [b])))));
  }
  out.push(element);
  return i;
}

interface Delimiter {
  char: "*" | "_";
  count: number;
  open: boolean;
  close: boolean;
}
type Token = MarkupNode | Delimiter;

const isDelimiter = (token: Token): token is Delimiter => typeof token === "object" && "char" in token;

/** The match of a sticky pattern at `text[index]` (no slicing: a paragraph is scanned once, not copied per character). */
function matchAt(pattern: RegExp, text: string, index: number): RegExpExecArray | null {
  pattern.lastIndex = index;
  return pattern.exec(text);
}
const BACKTICKS = /`+/y;
/** What a paragraph's scan works out once: its backtick runs, and (at the first "[") its matching brackets. */
interface Scan {
  runs: Map<number, number[]>;
  brackets?: Map<number, number>;
}
const STARS = /\*+/y;
const UNDERSCORES = /_+/y;
const AUTOLINK = /<(https?:\/\/[^\s<>]+)>/iy;
const DESTINATION = /\(\s*(<[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))+)(?:\s+("[^"]*"|'[^']*'))?\s*\)/y;
const WHITESPACE = /\s/u;
const PUNCTUATION = /[\p{P}\p{S}]/u;

/** A paragraph's text as inline nodes: code spans, links, emphasis; newlines become line breaks. */
export function inline(text: string, links: boolean): MarkupNode[] {
  return resolveEmphasis(tokenize(text, links));
}

function tokenize(text: string, links: boolean): Token[] {
  const tokens: Token[] = [];
  let plain = "";
  const flush = () => {
    plain.split("\n").forEach((line, n) => {
      if (n > 0) tokens.push(h("br", {}));
      if (line) tokens.push(line);
    });
    plain = "";
  };
  const push = (token: Token) => {
    flush();
    tokens.push(token);
  };
  const scan: Scan = { runs: backtickRuns(text) };
  const { runs } = scan;
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === "\\" && ESCAPABLE.test(text[i + 1] ?? "")) {
      plain += text[i + 1];
      i += 2;
    } else if (c === "`") {
      const run = matchAt(BACKTICKS, text, i)![0];
      const end = closingBackticks(runs, i + run.length, run.length);
      if (end < 0) {
        plain += run;
        i += run.length;
        continue;
      }
      let code = text.slice(i + run.length, end).replace(/\n/g, " ");
      if (/^ .* $/.test(code) && code.trim() !== "") code = code.slice(1, -1);
      push(h("code", {}, code));
      i = end + run.length;
    } else if (c === "*" || c === "_") {
      const run = matchAt(c === "*" ? STARS : UNDERSCORES, text, i)![0];
      push(delimiter(c, run.length, text[i - 1] ?? " ", text[i + run.length] ?? " "));
      i += run.length;
    } else {
      const found = links ? linkAt(text, i, scan) : null;
      if (found) {
        push(found.link);
        i += found.length;
      } else {
        plain += c;
        i++;
      }
    }
  }
  flush();
  return tokens;
}

/** The start of every backtick run in `text`, by run length, in order. */
function backtickRuns(text: string): Map<number, number[]> {
  const runs = new Map<number, number[]>();
  for (const match of text.matchAll(/`+/g)) {
    const starts = runs.get(match[0].length) ?? [];
    starts.push(match.index);
    runs.set(match[0].length, starts);
  }
  return runs;
}

/** The start of the first backtick run of exactly `length` at or after `from`, or -1 (a binary search). */
function closingBackticks(runs: Map<number, number[]>, from: number, length: number): number {
  const starts = runs.get(length) ?? [];
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (starts[middle]! < from) low = middle + 1;
    else high = middle;
  }
  return starts[low] ?? -1;
}

/** A delimiter run with CommonMark's flanking rules; `_` does not open or close inside a word (snake_case). */
function delimiter(char: "*" | "_", count: number, before: string, after: string): Delimiter {
  const left = !WHITESPACE.test(after) && (!PUNCTUATION.test(after) || WHITESPACE.test(before) || PUNCTUATION.test(before));
  const right = !WHITESPACE.test(before) && (!PUNCTUATION.test(before) || WHITESPACE.test(after) || PUNCTUATION.test(after));
  if (char === "*") return { char, count, open: left, close: right };
  return { char, count, open: left && (!right || PUNCTUATION.test(before)), close: right && (!left || PUNCTUATION.test(after)) };
}

/** A link starting at `text[index]`: [label](http…), <http…> or a bare http(s) address; null for anything else. */
function linkAt(text: string, index: number, scan: Scan): { link: MarkupElement; length: number } | null {
  const c = text[index];
  if (c === "h") return bareUrlAt(text, index);
  if (c === "<") {
    const auto = matchAt(AUTOLINK, text, index);
    const link = auto ? linkTo(auto[1]!, auto[1]!) : null;
    return link && auto ? { link, length: auto[0].length } : null;
  }
  if (c !== "[") return null;
  scan.brackets ??= matchBrackets(text, scan.runs);
  const labelEnd = scan.brackets.get(index) ?? -1;
  if (labelEnd < 0 || text[labelEnd + 1] !== "(") return null;
  const destination = matchAt(DESTINATION, text, labelEnd + 1);
  if (!destination) return null;
  const href = destination[1]!.replace(/^<|>$/g, "").replace(/\\([!-/:-@[-`{-~])/g, "$1");
  const link = linkTo(href, ...inline(text.slice(index + 1, labelEnd), false));
  // A link to anything but http(s) (javascript:, data:, a relative path) stays text, exactly as written.
  return link ? { link, length: labelEnd + 1 + destination[0].length - index } : null;
}

/**
 * For each `[` in `text`, the index of the `]` that closes it (brackets nest; escaped ones and those in code spans
 * do not count). One pass for the whole paragraph, so many unclosed brackets cost no more than a few.
 */
function matchBrackets(text: string, runs: Map<number, number[]>): Map<number, number> {
  const closes = new Map<number, number>();
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === "`") {
      const run = matchAt(BACKTICKS, text, i)![0];
      const end = closingBackticks(runs, i + run.length, run.length);
      i = end < 0 ? i + run.length - 1 : end + run.length - 1;
    } else if (c === "[") open.push(i);
    else if (c === "]" && open.length > 0) closes.set(open.pop()!, i);
  }
  return closes;
}

/**
 * Pairs each closing delimiter run with the nearest earlier opener of the same character, innermost first
 * (CommonMark's "process emphasis", without its rule of three): two characters on each side make <strong>,
 * one makes <em>. Unpaired delimiters stay text.
 */
function resolveEmphasis(tokens: Token[]): MarkupNode[] {
  for (let c = 0; c < tokens.length; c++) {
    const closer = tokens[c]!;
    if (!isDelimiter(closer) || !closer.close || closer.count === 0) continue;
    for (let o = c - 1; o >= 0; o--) {
      const opener = tokens[o]!;
      if (!isDelimiter(opener) || !opener.open || opener.char !== closer.char || opener.count === 0) continue;
      const n = opener.count >= 2 && closer.count >= 2 ? 2 : 1;
      opener.count -= n;
      closer.count -= n;
      const inner = tokens.splice(o + 1, c - o - 1, h(n === 2 ? "strong" : "em", {}));
      (tokens[o + 1] as MarkupElement).children.push(...toNodes(inner));
      // The closer is now at o + 2: look at it again if it has characters left.
      c = closer.count > 0 ? o + 1 : o + 2;
      break;
    }
  }
  return toNodes(tokens);
}

/** Tokens as nodes: unpaired delimiters become their text, neighbouring texts join. */
function toNodes(tokens: readonly Token[]): MarkupNode[] {
  const nodes: MarkupNode[] = [];
  for (const token of tokens) {
    const node = isDelimiter(token) ? token.char.repeat(token.count) : token;
    if (node === "") continue;
    const last = nodes.at(-1);
    if (typeof node === "string" && typeof last === "string") nodes[nodes.length - 1] = last + node;
    else nodes.push(node);
  }
  return nodes;
}
