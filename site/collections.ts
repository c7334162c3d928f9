// Collections beyond Eleventy's tag collections. Posts join `collections.posts` through posts/posts.11tydata.ts.
import type { CollectionApi } from "@11ty/eleventy";
import { userTags } from "./filters.ts";
import { isPostData } from "./post-checks.ts";

/** Every topic (author tag) used by at least one post, sorted for the tag index. */
export function collectTags(api: CollectionApi): string[] {
  // getAll, not getFilteredByTag("posts"): the order is the sort's below, so Eleventy's date sort is wasted work.
  const posts = api.getAll().filter((item) => isPostData(item.data));
  const tags = new Set(posts.flatMap((post) => userTags(post.data.tags)));
  return [...tags].sort((a, b) => a.localeCompare(b, "en-GB"));
}
