// The HTML of a comment imported from WordPress (format "html"), mapped onto the same markup tree as
// Markdown comments. WordPress's kses filter lets comments keep a, abbr, b, blockquote, cite, code, del, em, i,
// q, s, strike and strong (wp-includes/kses.php, $allowedtags), and wpautop adds p and br when it shows them
// (https://developer.wordpress.org/reference/functions/wpautop/). Exactly those become elements here (b as
// strong, i as em, strike as s), plus ul, ol and li; only an http(s) href and an abbr's title are kept. Every
// other tag is dropped and its text kept, as kses does; script and style lose their content too, which no
// reader ever saw. The input is tokenised, never handed to an HTML parser, and nothing here produces HTML.
import { h, type MarkupElement, type MarkupNode } from "../../client/markup.ts";
import { decodeEntities } from "./html-entities.ts";
import { linkify, linkTo } from "./links.ts";

/** Elements nest at most this deep; deeper tags are dropped and their text kept. */
export const MAX_HTML_NESTING = 16;

const INLINE_TAGS: Record<string, string> = {
  a: "a", abbr: "abbr", b: "strong", strong: "strong", cite: "cite", code: "code", del: "del", em: "em", i: "em", q: "q", s: "s", strike: "s",
};
const CONTAINERS = new Set(["blockquote", "ul", "ol", "li"]);
// Tags that end a paragraph when they open or close, though they are not kept themselves.
const BREAKS = /^(?:p|div|h[1-6]|pre|table|thead|tbody|tr|hr|section|article|header|footer|address|dl|dt|dd|figure|figcaption|center|form|fieldset|details|summary|main|nav|aside)$/;
const DROPPED_WITH_CONTENT = /^(?:script|style|template|textarea|title|xmp|noscript|iframe|noembed|noframes)$/;
// A tag's attributes are bounded (WordPress writes short ones) so a "<" without its ">" costs little, whatever follows.
const TOKEN = /<!--[\s\S]*?(?:-->|$)|<(\/?)([A-Za-z][A-Za-z0-9]*)((?:[^>"']|"[^"]{0,512}"|'[^']{0,512}'){0,512})>/g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

// A paragraph boundary inside a container while the tree is built; finish() turns runs between them into <p>s.
const BREAK: MarkupElement = h("", {});

/** The tree of a WordPress comment: block elements (p, blockquote, ul, ol) with the allowed inline ones inside. */
export function renderWordPressHtml(html: string): MarkupElement[] {
  const root = h("div", {});
  const stack: MarkupElement[] = [root];
  const top = () => stack.at(-1)!;
  const append = (node: MarkupNode) => {
    // Only items go straight into a list: white space and breaks there are dropped, anything else gets an item.
    if (/^(?:ul|ol)$/.test(top().tag) && !(typeof node !== "string" && node.tag === "li")) {
      if (node === BREAK || (typeof node === "string" && node.trim() === "")) return;
      open(h("li", {}));
    }
    const children = top().children;
    const last = children.at(-1);
    if (typeof node === "string" && typeof last === "string") children[children.length - 1] = last + node;
    else children.push(node);
  };
  const open = (element: MarkupElement) => {
    append(element);
    stack.push(element);
  };
  const closeInline = () => {
    while (stack.length > 1 && !CONTAINERS.has(top().tag)) stack.pop();
  };

  // WordPress writes "<br />" followed by the newline that was typed: one break, not two.
  html = html.replace(/\r\n?/g, "\n").replace(/(<br\s*\/?>)[ \t]*\n/gi, "$1");
  const tokens = new RegExp(TOKEN);
  let last = 0;
  for (let match = tokens.exec(html); match; match = tokens.exec(html)) {
    append(decodeEntities(html.slice(last, match.index)));
    last = match.index + match[0].length;
    const [, slash, rawName, rawAttrs] = match;
    if (rawName === undefined) continue;
    const name = rawName.toLowerCase();
    if (DROPPED_WITH_CONTENT.test(name) && !slash) {
      const end = new RegExp(`</${name}\\s*>`, "ig");
      end.lastIndex = last;
      last = end.exec(html) ? end.lastIndex : html.length;
      tokens.lastIndex = last;
    } else if (slash) {
      closeTag(stack, name);
      if (BREAKS.test(name)) {
        closeInline();
        append(BREAK);
      }
    } else if (name === "br") append(h("br", {}));
    else if (BREAKS.test(name)) {
      closeInline();
      append(BREAK);
    } else if (/^t[dh]$/.test(name)) {
      // A table is not kept, but a row stays one line with its cells apart: "Handovers on time | 61% | 88%".
      // The line breaks between cells in the source are layout, not the commenter's: they would become <br>s.
      const cells = top().children;
      const previous = cells.at(-1);
      if (typeof previous === "string") cells[cells.length - 1] = previous.trimEnd();
      const before = cells.at(-1);
      if (before !== undefined && before !== BREAK && before !== "") append(" | ");
    } else if (stack.length > MAX_HTML_NESTING) {
      // Too deep: the tag is dropped, its text kept.
    } else if (name === "li") {
      closeInline();
      if (top().tag === "li") stack.pop();
      if (!/^(?:ul|ol)$/.test(top().tag)) open(h("ul", {}));
      open(h("li", {}));
    } else if (CONTAINERS.has(name)) {
      closeInline();
      open(h(name, {}));
    } else if (Object.hasOwn(INLINE_TAGS, name)) {
      const element = inlineElement(INLINE_TAGS[name]!, attributes(rawAttrs ?? ""));
      // A link inside a link, or one to anything but http(s), is dropped and its text kept.
      if (element && !(element.tag === "a" && stack.some((e) => e.tag === "a"))) open(element);
    }
  }
  append(decodeEntities(html.slice(last)));
  return finish(root.children, false) as MarkupElement[];
}

function inlineElement(tag: string, attrs: Map<string, string>): MarkupElement | null {
  if (tag === "a") return linkTo(attrs.get("href") ?? "");
  const title = attrs.get("title");
  return h(tag, tag === "abbr" && title ? { title } : {});
}

/** Closes the innermost open element the end tag names (b and strong alike); an end tag nothing opened is ignored. */
function closeTag(stack: MarkupElement[], name: string): void {
  const tag = INLINE_TAGS[name] ?? name;
  if (!Object.hasOwn(INLINE_TAGS, name) && !CONTAINERS.has(name)) return;
  const index = stack.findLastIndex((element, i) => i > 0 && element.tag === tag);
  if (index > 0) stack.length = index;
}

function attributes(source: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const [, name, ...values] of source.matchAll(ATTRIBUTE)) {
    const key = name!.toLowerCase();
    if (!found.has(key)) found.set(key, decodeEntities(values.find((value) => value !== undefined) ?? ""));
  }
  return found;
}

/**
 * Lays out a container's children as wpautop does: blank lines and breaks separate paragraphs, a single newline
 * is a line break, bare addresses become links (not inside a link or code). A list item with one paragraph
 * holds its text directly.
 */
function finish(children: readonly MarkupNode[], item: boolean): MarkupNode[] {
  const out: MarkupNode[] = [];
  let run: MarkupNode[] = [];
  const endParagraph = () => {
    const nodes = trimRun(run);
    if (nodes.length > 0) out.push(h("p", {}, ...inlineNodes(nodes, false)));
    run = [];
  };
  for (const child of children) {
    if (child === BREAK) endParagraph();
    else if (typeof child === "string") {
      child.split(/\n[ \t]*\n\s*/).forEach((part, n) => {
        if (n > 0) endParagraph();
        run.push(part);
      });
    } else if (CONTAINERS.has(child.tag)) {
      endParagraph();
      const isList = child.tag === "ul" || child.tag === "ol";
      const inner = isList ? child.children.filter((c) => typeof c !== "string" && c.tag === "li") : finish(child.children, child.tag === "li");
      if (isList) inner.forEach((li) => ((li as MarkupElement).children = finish((li as MarkupElement).children, true)));
      if (inner.length > 0 || child.tag === "li") out.push(h(child.tag, {}, ...inner));
    } else run.push(child);
  }
  endParagraph();
  const paragraphs = out.filter((node) => typeof node !== "string" && node.tag === "p").length;
  return item && paragraphs <= 1 ? out.flatMap((node) => (typeof node !== "string" && node.tag === "p" ? node.children : [node])) : out;
}

/** A paragraph's nodes without white space at its edges. */
function trimRun(run: readonly MarkupNode[]): MarkupNode[] {
  const nodes = [...run];
  if (typeof nodes[0] === "string") nodes[0] = nodes[0].trimStart();
  const end = nodes.length - 1;
  if (typeof nodes[end] === "string") nodes[end] = (nodes[end] as string).trimEnd();
  const kept = nodes.filter((node) => node !== "");
  return kept.some((node) => typeof node !== "string" || node.trim() !== "") ? kept : [];
}

/** Inline nodes with newlines as <br> and bare addresses as links (`linked`: inside a link or code, where they stay text). */
function inlineNodes(nodes: readonly MarkupNode[], linked: boolean): MarkupNode[] {
  return nodes.flatMap((node): MarkupNode[] => {
    if (typeof node !== "string") {
      const inside = linked || node.tag === "a" || node.tag === "code";
      return [h(node.tag, node.attrs, ...inlineNodes(node.children, inside))];
    }
    return node.split(/[ \t]*\n[ \t]*/).flatMap((line, n) => [...(n > 0 ? [h("br", {})] : []), ...(linked ? (line ? [line] : []) : linkify(line))]);
  });
}
