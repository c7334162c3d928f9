// Runs the front-matter schema (site/front-matter.ts) inside the Eleventy build, so a broken post fails
// `npm run build` and `npm start` with the file and key named, before anything is written. In GitHub Actions
// each problem is also printed as an annotation on the key's line (site/annotations.ts).
import type { UserConfig } from "@11ty/eleventy";
import { annotatePostError } from "./annotations.ts";
import { checkDate, checkPost, createSlugRegister, PostError } from "./front-matter.ts";

/** Posts are the templates tagged "posts" by posts/posts.11tydata.ts. */
export function isPostData(data: Record<string, unknown>): boolean {
  return Array.isArray(data.tags) && data.tags.includes("posts");
}

/** Runs `check`, and annotates a PostError for CI before passing it on to fail the build. */
function annotated(check: () => void): void {
  try {
    check();
  } catch (error) {
    if (error instanceof PostError) annotatePostError(error);
    throw error;
  }
}

/** Registers the checks with Eleventy. */
export function addPostChecks(eleventyConfig: UserConfig): void {
  // Eleventy parses `date` before any preprocessor sees the data, and on a bad value throws its own message
  // without the key's rules. Checking here reports "soon" the same way the manifest script does.
  eleventyConfig.addDateParsing(function checkPostDate(value) {
    if (value === undefined) return undefined;
    const problem = checkDate(this.page.inputPath, value);
    if (problem === null) return undefined;
    const error = new PostError([problem]);
    annotatePostError(error);
    throw error;
  });

  // Slugs are claimed per build: cleared before each one so a watch rebuild does not see its own posts twice.
  const slugs = createSlugRegister();
  eleventyConfig.on("eleventy.before", () => slugs.clear());
  eleventyConfig.addPreprocessor("post-front-matter", "md", function checkFrontMatter(data) {
    if (!isPostData(data)) return undefined;
    annotated(() => slugs.claim(checkPost(this.inputPath, data)));
    return undefined;
  });
}
