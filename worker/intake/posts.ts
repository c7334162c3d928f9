// Which posts exist. The site's build writes worker/posts.generated.json from posts/*.md (scripts/write-post-manifest.ts,
// run by wrangler.toml's [build] before every `wrangler dev` and `wrangler deploy`), and the bundle carries it, so
// publishing a post needs no step on the worker: the next deploy knows it.
import * as v from "valibot";
import manifest from "../posts.generated.json";

/** A published post as the manifest describes it. */
export interface PostInfo {
  slug: string;
  title: string;
  url: string;
}

const ManifestSchema = v.object({
  posts: v.record(
    v.string(),
    v.object({ title: v.string(), url: v.pipe(v.string(), v.startsWith("/")) }),
  ),
});

const POSTS: ReadonlyMap<string, PostInfo> = new Map(
  Object.entries(v.parse(ManifestSchema, manifest).posts).map(([slug, post]) => [slug, { slug, ...post }]),
);

/** The post with this slug, or undefined when no published post has it. */
export function findPost(slug: string): PostInfo | undefined {
  return POSTS.get(slug);
}

/** Every published post, in manifest order. */
export function listPosts(): PostInfo[] {
  return [...POSTS.values()];
}
