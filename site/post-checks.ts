// Runs the front-matter schema (site/front-matter.ts) inside the Eleventy build, so a broken post fails
// `npm run build` and `npm start` with the file and key named, before anything is written.
import type { UserConfig } from "@11ty/eleventy";
import { checkDate, checkPost, createSlugRegister, PostError } from "./front-matter.ts";

/** Posts are the templates tagged "posts" by posts/posts.11tydata.ts. */
export function isPostData(data: Record<string, unknown>): boolean {
  return Array.isArray(data.tags) && data.tags.includes("posts");
}

/** Registers the checks with Eleventy. */
export function addPostChecks(eleventyConfig: UserConfig): void {
  // Eleventy parses `date` before any preprocessor sees the data, and on a bad value throws its own message
  // without the key's rules. Checking here reports "soon" the same way the manifest script does.
  eleventyConfig.addDateParsing(function checkPostDate(value) {
    if (value === undefined) return undefined;
    const problem = checkDate(this.page.inputPath, value);
    if (problem) throw new PostError(problem);
    return undefined;
  });

  // Slugs are claimed per build: cleared before each one so a watch rebuild does not see its own posts twice.
  const slugs = createSlugRegister();
  eleventyConfig.on("eleventy.before", () => slugs.clear());
  eleventyConfig.addPreprocessor("post-front-matter", "md", function checkFrontMatter(data) {
    if (!isPostData(data)) return undefined;
    slugs.claim(checkPost(this.inputPath, data));
    return undefined;
  });
}
