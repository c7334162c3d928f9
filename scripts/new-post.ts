// `npm run new-post -- "Title"`: starts a post. Writes posts/<slug>.md with the title, today's date,
// the author (`git config user.name`, or --author) and `draft: true`, so it shows under `npm start` and never in
// `npm run build` until the author deletes that line. It checks what it writes with the build's own schema
// (site/front-matter.ts), and refuses a slug that any post already uses, in any sub-folder of posts/.
//
// Usage: npm run new-post -- "Title" [--author "Name"] [--posts-dir <dir>]
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import matter from "gray-matter";
import { checkPost, SLUG_PATTERN } from "../site/front-matter.ts";

const USAGE = 'Usage: npm run new-post -- "Title of the post" [--author "Your Name"] [--posts-dir posts]';

/** The post's slug: lowercase ASCII letters and digits in words joined by single hyphens ("A test title" -> "a-test-title"). */
export function slugify(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replaceAll("&", " and ")
    .replace(/['’‘]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Today's calendar date where the author is, as YYYY-MM-DD (the post's `date`). */
export function localDate(now = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A YAML scalar for `text`: plain when YAML reads it back unchanged, else double-quoted (JSON is valid YAML). */
function yamlText(text: string): string {
  const plain = /^\p{L}[\p{L}\p{N} ,.'’()?!&/-]*$/u.test(text) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(text);
  return plain ? text : JSON.stringify(text);
}

/** The file's text: front matter with the keys the schema needs, the optional ones as comments, a short body. */
export function postSource({ title, author, date }: { title: string; author: string; date: string }): string {
  return [
    "---",
    `title: ${yamlText(title)}`,
    `date: ${date}`,
    `author: ${yamlText(author)}`,
    "# intro: One or two sentences shown under the title, on the home page and in the feeds.",
    "# tags: [leadership, NHS]",
    "# Delete the next line to publish the post.",
    "draft: true",
    "---",
    "Write the post here, in Markdown. A blank line starts a new paragraph.",
    "",
  ].join("\n");
}

/** The author's name from git, or undefined when git has none (or is not installed). */
function gitUserName(cwd: string): string | undefined {
  try {
    return execFileSync("git", ["config", "user.name"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Every post file under `postsDir` whose slug is `slug` (posts may sit in sub-folders; the slug is the name). */
function filesWithSlug(postsDir: string, slug: string): string[] {
  if (!existsSync(postsDir)) return [];
  return readdirSync(postsDir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.replaceAll("\\", "/").split("/").pop() === `${slug}.md`)
    .map((name) => join(postsDir, name));
}

export interface NewPostIo {
  out(text: string): void;
  err(text: string): void;
  /** Where relative paths start and git is asked (`npm run` starts in the repository root). */
  cwd: string;
  env: Record<string, string | undefined>;
  now: Date;
}

/** Runs the command; returns the exit code (0 written, 1 the slug is taken, 2 usage). */
export function runNewPost(args: string[], io: NewPostIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { author: { type: "string" }, "posts-dir": { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    io.err(`new-post: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(USAGE);
    return 0;
  }
  const title = parsed.positionals.join(" ").trim();
  if (!title) {
    io.err(`new-post: give the post's title.\n${USAGE}`);
    return 2;
  }
  const slug = slugify(title);
  if (!SLUG_PATTERN.test(slug)) {
    io.err(`new-post: "${title}" has no letters or digits to make an address from; choose another title.`);
    return 2;
  }
  const author = parsed.values.author?.trim() || gitUserName(io.cwd);
  if (!author) {
    io.err('new-post: no author: pass --author "Your Name", or set it once with git config --global user.name "Your Name".');
    return 2;
  }

  const postsDir = resolve(io.cwd, parsed.values["posts-dir"] ?? "posts");
  const file = join(postsDir, `${slug}.md`);
  const shown = relative(io.cwd, file).replaceAll("\\", "/");
  const taken = filesWithSlug(postsDir, slug);
  if (taken.length > 0) {
    const where = taken.map((path) => relative(io.cwd, path).replaceAll("\\", "/")).join(", ");
    io.err(`new-post: ${where} already uses the address /posts/${slug}/. Choose another title, or edit that post.`);
    return 1;
  }

  const source = postSource({ title, author, date: localDate(io.now) });
  // The same check as the build, so a post this writes is always one the build accepts.
  checkPost(shown, matter(source).data);
  mkdirSync(postsDir, { recursive: true });
  writeFileSync(file, source, { flag: "wx" });

  const port = io.env.PORT || "8080";
  io.out(`Created ${shown} (a draft).`);
  io.out(`Preview it with \`npm start\` at http://localhost:${port}/posts/${slug}/`);
  io.out("Publish it by deleting the line `draft: true`.");
  return 0;
}

if (import.meta.main) {
  process.exitCode = runNewPost(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    cwd: process.cwd(),
    env: process.env,
    now: new Date(),
  });
}
