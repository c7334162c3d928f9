// Tells the comment worker which posts exist: reads posts/**/*.md, checks each with the same front-matter
// schema as the Eleventy build (site/front-matter.ts), leaves drafts out, and writes worker/posts.generated.json:
//   { "posts": { "<slug>": { "title": "…", "url": "/posts/<slug>/" } } }
// wrangler.toml runs it before every `wrangler dev`/`deploy`, and `npm test` runs it first. It reads the files
// itself (gray-matter) because the worker build must not depend on running Eleventy.
//
// Usage: node scripts/write-post-manifest.ts [postsDir] [outFile]   (defaults: posts, worker/posts.generated.json)
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import matter from "gray-matter";
import { annotatePostError } from "../site/annotations.ts";
import { checkPost, createSlugRegister, PostError, type Post } from "../site/front-matter.ts";

/** The manifest the worker imports. */
export interface PostManifest {
  posts: Record<string, { title: string; url: string }>;
}

const ROOT = resolve(import.meta.dirname, "..");

/** Every Markdown file under `postsDir`, sorted, as the same paths Eleventy would name ("posts/foo.md"). */
export function listPostFiles(postsDir: string, root = ROOT): string[] {
  return readdirSync(postsDir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".md"))
    .map((name) => relative(root, join(postsDir, name)).replaceAll("\\", "/"))
    .sort();
}

/** Parses and checks one post's source. Throws a PostError naming `file` and the key. */
export function readPost(file: string, source: string): Post {
  // gray-matter parses YAML as Eleventy does (js-yaml: unquoted dates become Date objects).
  return checkPost(file, matter(source).data);
}

/** Builds the manifest from checked posts: drafts left out, a duplicate slug refused (drafts included). */
export function buildManifest(posts: readonly Post[]): PostManifest {
  const slugs = createSlugRegister();
  const manifest: PostManifest = { posts: {} };
  for (const post of [...posts].sort((a, b) => a.slug.localeCompare(b.slug))) {
    slugs.claim(post);
    if (post.draft) continue;
    manifest.posts[post.slug] = { title: post.title, url: `/posts/${post.slug}/` };
  }
  return manifest;
}

/** Reads every post under `postsDir` and writes the manifest to `outFile`. Returns what it wrote. */
export function writePostManifest(postsDir: string, outFile: string, root = ROOT): PostManifest {
  const posts = listPostFiles(postsDir, root).map((file) => readPost(file, readFileSync(join(root, file), "utf8")));
  const manifest = buildManifest(posts);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (import.meta.main) {
  const [postsDir = join(ROOT, "posts"), outFile = join(ROOT, "worker", "posts.generated.json")] = process.argv.slice(2);
  try {
    const manifest = writePostManifest(resolve(postsDir), resolve(outFile), process.cwd());
    const count = Object.keys(manifest.posts).length;
    console.log(`write-post-manifest: ${count} post${count === 1 ? "" : "s"} -> ${relative(process.cwd(), resolve(outFile))}`);
  } catch (error) {
    if (!(error instanceof PostError)) throw error;
    // In GitHub Actions, also an annotation on the key's line (paths are relative to the working directory).
    annotatePostError(error);
    console.error(`write-post-manifest: ${error.message}`);
    process.exitCode = 1;
  }
}
