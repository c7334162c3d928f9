// The front-matter schema (site/front-matter.ts), alone and as the Eleventy build applies it: a broken post
// fails with a message naming the file and the key, so nothing half-formed is ever published.
import { describe, expect, it } from "vitest";
import { checkDate, checkPost, createSlugRegister, slugOf } from "../../site/front-matter.ts";
import { buildFailure, createProject } from "./build-site.ts";

const VALID = { title: "A title", date: new Date("2012-09-24T00:00:00Z"), author: "Jan Sobieraj" };

describe("checkPost", () => {
  it("accepts the required keys and fills in the optional ones", () => {
    expect(checkPost("posts/a-post.md", VALID)).toEqual({
      ...VALID,
      tags: [],
      draft: false,
      slug: "a-post",
      file: "posts/a-post.md",
    });
  });

  it("accepts an intro, a tag list or a single tag, and a draft flag", () => {
    const post = checkPost("posts/a.md", { ...VALID, intro: "Lead.", tags: "NHS", draft: true });
    expect(post).toMatchObject({ intro: "Lead.", tags: ["NHS"], draft: true });
  });

  it("accepts a quoted calendar date or a timestamp with a zone, as a Date", () => {
    expect(checkPost("posts/a.md", { ...VALID, date: "2012-09-24" }).date).toEqual(new Date("2012-09-24T00:00:00Z"));
    expect(checkPost("posts/a.md", { ...VALID, date: "2012-09-24T10:30:00+01:00" }).date).toEqual(
      new Date("2012-09-24T09:30:00Z"),
    );
  });

  it("ignores keys it does not own, as Eleventy passes its whole data cascade", () => {
    expect(() => checkPost("posts/a.md", { ...VALID, layout: "post.njk", page: {} })).not.toThrow();
  });

  it.each([
    ["title", { ...VALID, title: undefined }, 'posts/a.md: front matter "title" is required'],
    ["title", { ...VALID, title: "  " }, 'posts/a.md: front matter "title" must not be empty (got "")'],
    ["title", { ...VALID, title: 2012 }, 'posts/a.md: front matter "title" must be text (got 2012)'],
    ["date", { ...VALID, date: undefined }, 'posts/a.md: front matter "date" is required'],
    ["date", { ...VALID, date: "soon" }, 'posts/a.md: front matter "date" must be a date like 2012-09-24 (got "soon")'],
    ["date", { ...VALID, date: "2013-02-30" }, 'posts/a.md: front matter "date" must be a date like 2012-09-24 (got "2013-02-30")'],
    ["date", { ...VALID, date: "2012-09-24T10:30" }, 'posts/a.md: front matter "date" must be a date like 2012-09-24 (got "2012-09-24T10:30")'],
    ["author", { ...VALID, author: undefined }, 'posts/a.md: front matter "author" is required'],
    ["tags", { ...VALID, tags: [1] }, 'posts/a.md: front matter "tags" must be a list of tags'],
    ["draft", { ...VALID, draft: "yes" }, 'posts/a.md: front matter "draft" must be true or false (got "yes")'],
  ])("refuses a bad %s, naming the file and the key", (_key, data, message) => {
    expect(() => checkPost("./posts/a.md", data)).toThrow(message);
  });

  it("reports every problem at once, one a line", () => {
    expect(() => checkPost("posts/a.md", {})).toThrow(
      [
        'posts/a.md: front matter "title" is required',
        'posts/a.md: front matter "date" is required',
        'posts/a.md: front matter "author" is required',
      ].join("\n"),
    );
  });

  it("refuses a file name that cannot be a URL slug", () => {
    expect(() => checkPost("posts/My Post.md", VALID)).toThrow('posts/My Post.md: the file name "My Post" must be a slug');
  });
});

describe("checkDate", () => {
  it("passes real dates and names the file for the rest", () => {
    expect(checkDate("posts/a.md", new Date("2012-01-01"))).toBeNull();
    expect(checkDate("./posts/a.md", "soon")).toEqual({
      file: "posts/a.md",
      key: "date",
      message: 'posts/a.md: front matter "date" must be a date like 2012-09-24 (got "soon")',
    });
  });
});

describe("slugOf", () => {
  it("is the file name without its extension, wherever the file sits", () => {
    expect(slugOf("./posts/2012/system-leadership-matters.md")).toBe("system-leadership-matters");
    expect(slugOf("posts\\local.md")).toBe("local");
  });
});

describe("createSlugRegister", () => {
  it("refuses a second file with the same slug, naming both", () => {
    const slugs = createSlugRegister();
    slugs.claim({ slug: "a", file: "posts/a.md" });
    expect(() => slugs.claim({ slug: "a", file: "posts/2012/a.md" })).toThrow(
      'posts/2012/a.md: duplicate slug "a": posts/a.md already uses /posts/a/',
    );
  });

  it("lets the same file claim its slug again, and forgets everything when cleared", () => {
    const slugs = createSlugRegister();
    slugs.claim({ slug: "a", file: "posts/a.md" });
    expect(() => slugs.claim({ slug: "a", file: "posts/a.md" })).not.toThrow();
    slugs.clear();
    expect(() => slugs.claim({ slug: "a", file: "posts/b/a.md" })).not.toThrow();
  });
});

describe("the Eleventy build with a broken post", () => {
  it.each([
    ["missing-title.md", 'posts/missing-title.md: front matter "title" is required'],
    ["missing-author.md", 'posts/missing-author.md: front matter "author" is required'],
    ["bad-date.md", 'posts/bad-date.md: front matter "date" must be a date like 2012-09-24 (got "soon")'],
    ["impossible-date.md", 'posts/impossible-date.md: front matter "date" must be a date like 2012-09-24 (got "2013-02-30")'],
    ["string-draft.md", 'posts/string-draft.md: front matter "draft" must be true or false (got "yes")'],
  ])("fails for %s with the file and the key named", async (fixture, message) => {
    const project = createProject({ "published-post.md": "published-post.md", [fixture]: fixture });
    expect(await buildFailure({ project })).toContain(message);
  });

  it("fails for two posts with the same slug in different folders", async () => {
    const project = createProject({ "published-post.md": "published-post.md", "2013/published-post.md": "published-post.md" });
    expect(await buildFailure({ project })).toMatch(
      /posts\/(2013\/)?published-post\.md: duplicate slug "published-post": posts\/(2013\/)?published-post\.md already uses \/posts\/published-post\//,
    );
  });

  it("fails for a broken draft too, even though a build would not publish it", async () => {
    const project = createProject({ "draft-post.md": "missing-title.md" });
    expect(await buildFailure({ project })).toContain('posts/draft-post.md: front matter "title" is required');
  });
});
