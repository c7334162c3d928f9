// A post's summary: its `intro`, else its first paragraph (site/markdown.ts). The home page, the feeds and the
// page's meta description all show it. Set once per post by a preprocessor, which sees the post's data and text
// before Eleventy renders anything. As Eleventy computed data (eleventyComputed) it would cost a dependency graph
// per post: 5 to 10% of a 4,000-post build in the site-build benchmark (bench/site-build.ts).
import type { UserConfig } from "@11ty/eleventy";
import { excerptOf } from "./markdown.ts";
import { isPostData } from "./post-checks.ts";

/** The summary of a post with this `intro` (front matter, maybe absent) and Markdown body. */
export function summaryOf(intro: unknown, body: string): string {
  return typeof intro === "string" ? intro : excerptOf(body);
}

/** Gives every post `summary` in its data. */
export function addSummaries(eleventyConfig: UserConfig): void {
  eleventyConfig.addPreprocessor("summary", "md", function setSummary(data, content) {
    if (isPostData(data)) data.summary = summaryOf(data.intro, content);
    return undefined;
  });
}
