// A post's summary (site/summaries.ts): its intro, else its first paragraph, on the home page, in the feeds and in
// the meta description, set by the site's preprocessor without any computed data in posts/.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { summaryOf } from "../../site/summaries.ts";
import { buildSite, createProject, type BuiltSite } from "./build-site.ts";
import { parsePage, textOf } from "./html.ts";

describe("summaryOf", () => {
  it("is the intro when the post has one, else its first paragraph as plain text", () => {
    expect(summaryOf("The standfirst.", "First *paragraph*.\n\nSecond.")).toBe("The standfirst.");
    expect(summaryOf(undefined, "First *paragraph*.\n\nSecond.")).toBe("First paragraph.");
  });
});

describe("summaries in a build whose posts/ data computes none", () => {
  let site: BuiltSite;
  beforeAll(async () => {
    const project = createProject({ "published-post.md": "published-post.md" });
    // Directory data with no eleventyComputed: the summary must come from the site's preprocessor alone.
    writeFileSync(
      join(project, "posts", "posts.11tydata.ts"),
      'export default { layout: "post.njk", tags: ["posts"], permalink: (data: { page: { fileSlug: string } }) => `/posts/${data.page.fileSlug}/` };\n',
    );
    writeFileSync(
      join(project, "posts", "with-intro.md"),
      "---\ntitle: With an intro\ndate: 2013-02-01\nauthor: Test Author\nintro: The intro, as the summary.\n---\nThe body.\n",
    );
    site = await buildSite({ project });
  });

  it("shows each post's summary on the home page and in its meta description", () => {
    const summaries = parsePage(site.read("/")).findAll(".post-summary").map((post) => textOf(post.querySelectorAll("p")[1]!));
    expect(summaries).toEqual(["The intro, as the summary.", "The published post's text."]);
    expect(parsePage(site.read("/posts/published-post/")).attr('meta[name="description"]', "content")).toBe("The published post's text.");
  });

  it("puts the summary in the feeds", () => {
    expect(site.read("/feed.xml")).toContain("<summary>The intro, as the summary.</summary>");
    expect(JSON.parse(site.read("/feed.json")).items[1].summary).toBe("The published post's text.");
  });
});
