import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { CONTENT_TAGS, type MarkupNode } from "../../../client/markup.ts";
import { MAX_CONTENT_DEPTH, renderContent, textOf } from "../../../worker/render/content.ts";

const ALLOWED_ATTRIBUTES: Record<string, string[]> = { a: ["href", "rel"], abbr: ["title"], ol: ["start"] };

/** Every way a content tree could break the allow-list, as sentences (empty = fine). */
function treeProblems(nodes: readonly MarkupNode[], depth = 1): string[] {
  return nodes.flatMap((node): string[] => {
    if (typeof node === "string") return [];
    const problems: string[] = [];
    if (!CONTENT_TAGS.includes(node.tag)) problems.push(`tag ${node.tag}`);
    if (depth > MAX_CONTENT_DEPTH) problems.push(`depth ${depth}`);
    for (const [name, value] of Object.entries(node.attrs)) {
      if (!(ALLOWED_ATTRIBUTES[node.tag] ?? []).includes(name)) problems.push(`attribute ${name} on ${node.tag}`);
      if (name === "href" && !/^https?:\/\//.test(value)) problems.push(`href ${value}`);
    }
    if (node.tag === "a" && node.attrs.rel !== "nofollow ugc noopener") problems.push(`rel ${node.attrs.rel}`);
    return [...problems, ...treeProblems(node.children, depth + 1)];
  });
}

// Text made mostly of the characters both syntaxes care about, so the generator reaches every rule.
const hostileText = fc.stringMatching(/^(?:[*_`>#\-+.)[\]()<>/\\!"'=&;: \n]|\d|a|b|p|li|ul|em|https?:\/\/x\.example|javascript:|<\/?(?:a|b|i|q|s|p|em|ul|ol|li|abbr|code|script|img|iframe|blockquote)[^>]{0,12}>| href="[^"]{0,20}"| onerror=x|&#\d{1,3};|&[a-z]{2,5};){0,60}$/);

describe("renderContent", () => {
  it("renders Markdown unless told the text is WordPress HTML", () => {
    expect(renderContent("<em>*x*</em>")).toEqual([{ tag: "p", attrs: {}, children: ["<em>", { tag: "em", attrs: {}, children: ["x"] }, "</em>"] }]);
    expect(renderContent("<em>*x*</em>", "html")).toEqual([{ tag: "p", attrs: {}, children: [{ tag: "em", attrs: {}, children: ["*x*"] }] }]);
  });

  it(`keeps the tree at most ${MAX_CONTENT_DEPTH} elements deep, the deeper part as its text`, () => {
    const source = "*a ".repeat(40) + "core" + " b*".repeat(40);
    const tree = renderContent(source);
    expect(treeProblems(tree)).toEqual([]);
    expect(textOf(tree)).toBe(source.replace(/\*/g, ""));
  });

  test.prop([hostileText, fc.constantFrom("markdown" as const, "html" as const)], { numRuns: 2000 })(
    "builds any text into a tree of allow-listed tags, with http(s) links only, in either format",
    (text, format) => {
      expect(treeProblems(renderContent(text, format))).toEqual([]);
    },
  );

  test.prop([fc.string({ maxLength: 300 }), fc.constantFrom("markdown" as const, "html" as const)], { numRuns: 1000 })(
    "never fails, whatever the text",
    (text, format) => {
      expect(treeProblems(renderContent(text, format))).toEqual([]);
    },
  );

  test.prop([fc.stringMatching(/^[A-Za-z0-9 ,!?'\n]{1,200}$/)])("keeps every word of text that uses no Markdown", (text) => {
    expect(textOf(renderContent(text)).replace(/\s+/g, " ").trim()).toBe(text.replace(/\s+/g, " ").trim());
  });
});

describe("textOf", () => {
  it("gives the words without the markup, paragraphs and items on their own lines", () => {
    expect(textOf(renderContent("**Bold** start\nnext\n\n- one\n- two\n\n> quote"))).toBe("Bold start\nnext\n\none\ntwo\n\nquote");
  });
});
