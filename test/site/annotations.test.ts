// site/annotations.ts: in GitHub Actions a broken post becomes an error annotation on the line of the key, so an
// author sees it beside the line they edited in the pull request.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { annotatePostError, annotationFor, findKeyLine, formatAnnotation } from "../../site/annotations.ts";
import { PostError } from "../../site/front-matter.ts";
import { buildFailure, createProject, FIXTURES } from "./build-site.ts";

/** Builds the project as CI does (GITHUB_ACTIONS=true), expecting a failure; returns the annotation lines printed. */
async function annotationsOfFailedBuild(project: string): Promise<string[]> {
  const written: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await buildFailure({ project, env: { GITHUB_ACTIONS: "true" } });
  } finally {
    vi.restoreAllMocks();
  }
  return written.filter((text) => text.startsWith("::error"));
}

const POST = ["---", "title: A title", "date: soon", "author: Test Author", "tags:", "  - date: nested", "---", "date: body"].join("\n");

describe("findKeyLine", () => {
  it("finds a top-level key inside the front matter, counting from 1", () => {
    expect(findKeyLine(POST, "title")).toBe(2);
    expect(findKeyLine(POST, "date")).toBe(3);
    expect(findKeyLine(POST, "tags")).toBe(5);
  });

  it("finds a quoted key and Windows line endings", () => {
    expect(findKeyLine('---\r\ntitle: A\r\n"draft": yes\r\n---\r\n', "draft")).toBe(3);
  });

  it("points at the front matter's first line for a missing key, no key, or no front matter", () => {
    expect(findKeyLine(POST, "intro")).toBe(1);
    expect(findKeyLine(POST, undefined)).toBe(1);
    expect(findKeyLine("date: soon\n", "date")).toBe(1);
  });

  it("never matches a key in the body, in a nested map, or one that only starts with the name", () => {
    expect(findKeyLine("---\ntitle: A\n---\ndraft: yes\n", "draft")).toBe(1);
    expect(findKeyLine("---\ndates: x\ndate: soon\n---\n", "date")).toBe(3);
  });
});

describe("formatAnnotation", () => {
  it("writes GitHub's ::error command with the file, line and title", () => {
    expect(formatAnnotation({ file: "posts/a.md", line: 3, title: "Front matter", message: "must be a date" })).toBe(
      "::error file=posts/a.md,line=3,title=Front matter::must be a date",
    );
  });

  it("escapes what would end a property or the command: commas, colons, percent signs and newlines", () => {
    expect(formatAnnotation({ file: "posts/a,b.md", line: 1, title: "Key: x", message: "100% wrong\nsecond line" })).toBe(
      "::error file=posts/a%2Cb.md,line=1,title=Key%3A x::100%25 wrong%0Asecond line",
    );
  });
});

describe("annotationFor", () => {
  it("names the key in the title and drops the file from the message, as the annotation already places it", () => {
    const problem = { file: "posts/a.md", key: "date", message: 'posts/a.md: front matter "date" must be a date' };
    expect(annotationFor(problem, POST)).toEqual({
      file: "posts/a.md",
      line: 3,
      title: 'Front matter "date"',
      message: 'front matter "date" must be a date',
    });
  });
});

describe("annotatePostError", () => {
  const error = new PostError([
    { file: join(FIXTURES, "posts", "missing-title.md"), key: "title", message: "no title" },
    { file: join(FIXTURES, "posts", "bad-date.md"), key: "date", message: "bad date" },
  ]);

  it("prints one annotation per problem in GitHub Actions, reading each file for the line", () => {
    const lines: string[] = [];
    annotatePostError(error, { GITHUB_ACTIONS: "true" }, (line) => lines.push(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error file=.*missing-title\.md,line=1,title=Front matter "title"::no title$/);
    expect(lines[1]).toMatch(/^::error file=.*bad-date\.md,line=3,title=Front matter "date"::bad date$/);
  });

  it("prints nothing outside GitHub Actions", () => {
    const lines: string[] = [];
    annotatePostError(error, { CI: "true" }, (line) => lines.push(line));
    expect(lines).toEqual([]);
  });
});

describe("the Eleventy build in GitHub Actions", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    ["bad-date.md", "date", 3, 'front matter "date" must be a date like 2012-09-24 (got "soon")'],
    ["string-draft.md", "draft", 5, 'front matter "draft" must be true or false (got "yes")'],
  ])("annotates %s on the line of its %s key", async (fixture, key, line, message) => {
    const source = readFileSync(join(FIXTURES, "posts", fixture), "utf8");
    expect(source.split("\n")[line - 1]).toMatch(new RegExp(`^${key}:`));
    const project = createProject({ "published-post.md": "published-post.md", [`2013/${fixture}`]: fixture });
    const written = await annotationsOfFailedBuild(project);
    const file = `posts/2013/${fixture}`;
    expect(written).toEqual([
      `::error file=${file},line=${line},title=Front matter "${key}"::${message}\n`,
    ]);
  });

  it("annotates a missing key at the top of the front matter", async () => {
    const project = createProject({ "missing-author.md": "missing-author.md" });
    const written = await annotationsOfFailedBuild(project);
    expect(written).toEqual([
      '::error file=posts/missing-author.md,line=1,title=Front matter "author"::front matter "author" is required\n',
    ]);
  });
});
