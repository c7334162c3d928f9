// Eleventy configuration: wiring only. The logic lives in site/ (filters, collections, checks) so it can be
// tested alone. Run with `eleventy --config=.eleventy.ts`: Eleventy 3 does not look for a .ts config itself,
// and Node 24 strips the types when Eleventy imports this file.
import type { UserConfig } from "@11ty/eleventy";
import { rssPlugin } from "@11ty/eleventy-plugin-rss";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { escapeHtml, jsonForScript } from "./site/ascii.ts";
import { addClientBundle } from "./site/client-bundle.ts";
import { collectTags } from "./site/collections.ts";
import { replies } from "./client/markup.ts";
import { collectCommentFeeds, latestCommentEntries } from "./site/comment-feeds.ts";
import { commentThreadHtml } from "./site/comment-thread.ts";
import { DEFAULT_SNAPSHOT, loadBuildComments, readWantedVersion, type BuildComments } from "./site/comments-data.ts";
import { skipDraftsUnlessPreview } from "./site/drafts.ts";
import { absoluteUrl, isoDate, published, readableDate, userTags } from "./site/filters.ts";
import { byYear, LIST_SIZES, newest } from "./site/listings.ts";
import { configureMarkdown } from "./site/markdown.ts";
import { readSiteMetadata } from "./site/metadata.ts";
import { addPostChecks } from "./site/post-checks.ts";
import { blogPosting, type PostSummary } from "./site/structured-data.ts";
import { addSummaries } from "./site/summaries.ts";
import { addTypeScriptData } from "./site/ts-data.ts";

/**
 * The only top-level folders that hold site sources: posts (Markdown), site (pages, styles, helpers) and
 * layouts. Every other entry of the input folder is ignored, so README.md, docs/, worker/, client/, test/
 * fixtures, scripts/ and any folder added later can never become a page. An allow-list, because a list of
 * exclusions silently publishes whatever it forgot.
 */
const SOURCE_FOLDERS = new Set(["posts", "site", "layouts"]);

export default function configure(eleventyConfig: UserConfig): void {
  const input = eleventyConfig.directories.input;
  // The allow-list below already ignores everything git ignores at the top level; git's list would also
  // hide .cache/comments-changed from the watcher.
  eleventyConfig.setUseGitIgnore(false);
  for (const entry of readdirSync(input, { withFileTypes: true })) {
    if (SOURCE_FOLDERS.has(entry.name)) continue;
    // .cache holds build state (the comments snapshot, npm start's rebuild trigger). Ignoring it wholesale
    // would also stop Eleventy watching the trigger; ignoring its would-be templates keeps it page-free.
    if (entry.name === ".cache") {
      eleventyConfig.ignores.add(join(input, ".cache/**/*.{md,njk}"));
      eleventyConfig.watchIgnores.add(join(input, ".cache/comments-snapshot.json"));
      continue;
    }
    eleventyConfig.ignores.add(join(input, entry.isDirectory() ? `${entry.name}/**` : entry.name));
  }

  // Global data is frozen: Eleventy deep-copies every unfrozen global object into each page's data, so the
  // comments of every post would be copied once for every page (https://github.com/11ty/eleventy-utils, Merge.js).
  const site = Object.freeze(readSiteMetadata(process.env));
  eleventyConfig.addGlobalData("site", site);
  // How many posts the home page and the feeds show (site/listings.ts).
  eleventyConfig.addGlobalData("lists", Object.freeze(LIST_SIZES));
  // Approved comments, drawn into the pages at build time: one request to the comment service per build, at the
  // publication version a comment-triggered build was asked for, else falling back to the last snapshot when the
  // service cannot be reached (site/comments-data.ts). The version goes out as /comments-version.json.
  eleventyConfig.addGlobalData("comments", async () =>
    Object.freeze(await loadBuildComments({
      apiUrl: site.commentsApiUrl,
      snapshotPath: process.env.COMMENTS_SNAPSHOT ?? DEFAULT_SNAPSHOT,
      wantVersion: readWantedVersion(process.env),
    })),
  );

  // Typed directory data (posts/posts.11tydata.ts), imported once a build (site/ts-data.ts). Data files are only
  // ever named <name>.11tydata.<ext>: by default Eleventy also looks for <name>.json and <name>.ts beside every
  // template, two file-system checks per post that never find anything.
  addTypeScriptData(eleventyConfig);
  eleventyConfig.setDataFileSuffixes([".11tydata"]);

  // Checks first, drafts second (preprocessors run in the order added): a broken draft fails the build too,
  // like it fails scripts/write-post-manifest.ts, so the two never disagree.
  addPostChecks(eleventyConfig);
  eleventyConfig.addPreprocessor("drafts", "*", skipDraftsUnlessPreview);
  // Each post's summary (its intro, else its first paragraph), for lists, feeds and the meta description.
  addSummaries(eleventyConfig);

  // Posts go through Eleventy's own markdown-it, given the site's settings. The project depends on the same major
  // (14), so summaries (site/markdown.ts) read posts with the very library that renders them, loaded once. 15's
  // published build makes every token through a defineProperty helper and rendered the benchmark's 4,000 posts
  // about 1.6x slower, to byte-identical HTML (measured by bench/site-build.ts).
  eleventyConfig.amendLibrary("md", configureMarkdown);
  // Date filters for the Atom feed, and renderTransforms, which makes the URLs inside post content absolute.
  eleventyConfig.addPlugin(rssPlugin);

  eleventyConfig.addPassthroughCopy({ [join(input, "site/assets")]: "assets" });

  eleventyConfig.addFilter("readableDate", readableDate);
  eleventyConfig.addFilter("isoDate", isoDate);
  // Not "absoluteUrl": the RSS plugin registers a deprecated Nunjucks filter by that name, which wins.
  eleventyConfig.addFilter("fullUrl", (path: string) => absoluteUrl(path, site.url));
  eleventyConfig.addFilter("userTags", userTags);
  eleventyConfig.addFilter("published", published);
  eleventyConfig.addFilter("newest", newest);
  eleventyConfig.addFilter("byYear", byYear);
  eleventyConfig.addFilter("jsonForScript", jsonForScript);
  eleventyConfig.addFilter("escapeHtml", escapeHtml);
  eleventyConfig.addFilter("blogPosting", (post: PostSummary) => blogPosting(post, site));
  eleventyConfig.addFilter("threadOf", (comments: BuildComments, slug: string) => comments.threads[slug] ?? []);
  eleventyConfig.addFilter("commentThreadHtml", commentThreadHtml);
  eleventyConfig.addFilter("replies", replies);
  eleventyConfig.addFilter("latestCommentEntries", latestCommentEntries);

  eleventyConfig.addCollection("tagList", collectTags);
  // The comment feeds: one per post with approved comments, paginated into /posts/<slug>/comments.xml and merged
  // into /comments.xml (site/comment-feeds.ts).
  eleventyConfig.addCollection("commentFeeds", collectCommentFeeds);

  // `npm start` touches this file when a moderator acts (the local stand-in for a deploy hook), so the
  // approved comments reach the running site's static HTML within seconds.
  eleventyConfig.addWatchTarget(".cache/comments-changed");
  // A saved post is a small file written at once: Eleventy's default wait for a changed file to settle (150 ms,
  // polled every 25 ms, made for large files) only delays every rebuild an author waits for under `npm start`.
  eleventyConfig.setChokidarConfig({ awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 10 } });

  // The comment script (client/) is TypeScript: esbuild bundles it into /assets/comments.js with every build,
  // and under `npm start` again when client/ changes (site/client-bundle.ts).
  eleventyConfig.addWatchTarget(join(input, "client/"));
  addClientBundle(eleventyConfig);
}

export const config = {
  // Templates are Markdown posts and Nunjucks pages. Input and output stay Eleventy's defaults ("." narrowed by
  // SOURCE_FOLDERS above, and "_site"): set here, they would override the folders the programmatic API is
  // given, and the tests build copies of the site into temporary folders.
  templateFormats: ["md", "njk"],
  // Posts are prose: a "{{" in a post is text, never a template tag.
  markdownTemplateEngine: false,
  dir: {
    includes: "layouts",
    layouts: "layouts",
  },
};
