// Collections beyond Eleventy's tag collections. Posts join `collections.posts` through posts/posts.11tydata.ts.
import type { CollectionApi } from "@11ty/eleventy";
import { userTags } from "./filters.ts";

/** Every topic (author tag) used by at least one post, sorted for the tag index. */
export function collectTags(api: CollectionApi): string[] {
  const tags = new Set(api.getFilteredByTag("posts").flatMap((post) => userTags(post.data.tags)));
  return [...tags].sort((a, b) => a.localeCompare(b, "en-GB"));
}
