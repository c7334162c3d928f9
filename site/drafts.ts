// Drafts: a post with `draft: true` is previewed under `npm start` (Eleventy's serve or watch mode) and left
// out of every `npm run build`. Eleventy sets ELEVENTY_RUN_MODE before it loads the config.

/** True when Eleventy is previewing (serve or watch) rather than building for deploy. */
export function isPreview(runMode = process.env.ELEVENTY_RUN_MODE): boolean {
  return runMode === "serve" || runMode === "watch";
}

/**
 * An Eleventy preprocessor: returning `false` drops the template entirely, so a draft gets no page and joins no
 * collection (home, tags, feeds, sitemap) in a build.
 */
export function skipDraftsUnlessPreview(data: Record<string, unknown>): false | undefined {
  return data.draft === true && !isPreview() ? false : undefined;
}
