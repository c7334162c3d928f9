// Reads built pages the way a test wants to: CSS selectors and decoded text, through html-validate's own
// parser (already a dependency for validation) rather than a second HTML library.
import { HtmlValidate, Parser, type HtmlElement } from "html-validate";

const validator = new HtmlValidate({ root: true, extends: ["html-validate:recommended"] });
const config = await validator.getConfigFor("page.html");

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/** Decodes the character references our templates and markdown-it emit. */
export function decode(text: string): string {
  return text.replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name] ?? whole;
  });
}

export interface Page {
  /** The element, or a failed test naming the selector. */
  find(selector: string): HtmlElement;
  findAll(selector: string): HtmlElement[];
  /** Decoded text content with runs of white space collapsed. */
  text(selector: string): string;
  /** A decoded attribute value, or null when absent. */
  attr(selector: string, name: string): string | null;
}

/** Text of an element with white space collapsed, as a reader sees it. */
export function textOf(element: HtmlElement): string {
  return decode(element.textContent).replace(/\s+/g, " ").trim();
}

/** Parses a built page. */
export function parsePage(html: string): Page {
  const root = new Parser(config).parseHtml(html);
  const find = (selector: string): HtmlElement => {
    const element = root.querySelector(selector);
    if (!element) throw new Error(`no element matches ${selector}`);
    return element;
  };
  return {
    find,
    findAll: (selector) => root.querySelectorAll(selector),
    text: (selector) => textOf(find(selector)),
    attr(selector, name) {
      const attribute = find(selector).getAttribute(name);
      if (!attribute) return null;
      // A boolean attribute (`required`, `hidden`) has no value: present means "".
      return typeof attribute.value === "string" ? decode(attribute.value) : "";
    },
  };
}

/** html-validate's findings for a page ("rule: message (line)"), empty when it is valid. */
export async function validateHtml(html: string, name: string): Promise<string[]> {
  const report = await validator.validateString(html, name);
  return report.results.flatMap((result) => result.messages.map((m) => `${m.ruleId}: ${m.message} (line ${m.line})`));
}
