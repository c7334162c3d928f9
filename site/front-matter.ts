// The one definition of a post's front matter, shared by the Eleventy build (.eleventy.ts, through
// site/post-checks.ts) and scripts/write-post-manifest.ts, so the site and the comment service never disagree
// about which posts exist. A post that breaks it fails the build with a message naming the file and the key:
// no post is ever published half-formed.
import * as v from "valibot";

const TEXT = "must be text";
const EMPTY = "must not be empty";
const DATE = "must be a date like 2012-09-24";
const TAGS = "must be a list of tags, like [leadership, NHS]";
const FLAG = "must be true or false";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** A slug is the post's file name and its URL segment: /posts/<slug>/. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * True for a YAML date (js-yaml gives a Date), a calendar date "2012-09-24" that exists, or a timestamp with a
 * zone. Zone-less date-times are refused: Eleventy reads them as UTC and a reader's clock would not.
 */
function isRealDate(value: Date | string): boolean {
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  if (ISO_DATE.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }
  return ISO_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
}

const Text = v.pipe(v.string(TEXT), v.trim(), v.nonEmpty(EMPTY));

/** A post's date: the schema of the `date` key alone, also used where Eleventy parses dates. */
export const PostDateSchema = v.pipe(
  v.union([v.date(DATE), v.string(DATE)], DATE),
  v.check(isRealDate, DATE),
  v.transform((value) => (value instanceof Date ? value : new Date(value))),
);

/** The front matter of a Markdown file in posts/. Other keys are allowed (Eleventy adds its own). */
export const FrontMatterSchema = v.object({
  title: Text,
  date: PostDateSchema,
  author: Text,
  /** The standfirst: shown under the title, and the post's summary in lists, feeds and the meta description. */
  intro: v.optional(Text),
  /** Eleventy accepts a single tag as a string; so do we, as a list of one. */
  tags: v.optional(
    v.pipe(
      v.union([v.string(TAGS), v.array(v.pipe(v.string(TAGS), v.trim(), v.nonEmpty(TAGS)), TAGS)], TAGS),
      v.transform((tags) => (typeof tags === "string" ? [tags] : tags)),
    ),
    [],
  ),
  /** `draft: true` shows under `npm start` and is never published. */
  draft: v.optional(v.boolean(FLAG), false),
});

export type FrontMatter = v.InferOutput<typeof FrontMatterSchema>;

/** A post as the tools see it: its slug (from the file name) and its checked front matter. */
export interface Post extends FrontMatter {
  slug: string;
  file: string;
}

/** One problem in one post: the file as an author types it, the front-matter key (if any), the full sentence. */
export interface PostProblem {
  file: string;
  key?: string;
  message: string;
}

/**
 * A build-breaking problem in a post, always naming the file (and the key, when there is one). The message is
 * every problem, one a line; `problems` keeps them apart, so CI can annotate each on its line
 * (site/annotations.ts).
 */
export class PostError extends Error {
  override name = "PostError";
  problems: PostProblem[];
  constructor(problems: PostProblem[]) {
    super(problems.map((problem) => problem.message).join("\n"));
    this.problems = problems;
  }
}

/** "posts/foo.md" for "./posts/foo.md" or "posts\\foo.md": the path as an author would type it. */
export function displayPath(file: string): string {
  return file.replaceAll("\\", "/").replace(/^\.\//, "");
}

/** The slug of a post file: its name without the extension. */
export function slugOf(file: string): string {
  const name = displayPath(file).split("/").pop() ?? "";
  return name.replace(/\.[^.]+$/, "");
}

function describe(input: unknown): string {
  if (input instanceof Date) return Number.isNaN(input.getTime()) ? "an invalid date" : input.toISOString();
  return JSON.stringify(input) ?? String(input);
}

function describeIssue(file: string, issue: v.BaseIssue<unknown>): PostProblem {
  const pathKey = issue.path?.[0]?.key;
  const key = typeof pathKey === "string" ? pathKey : undefined;
  const subject = key === undefined ? "front matter" : `front matter "${key}"`;
  if (issue.input === undefined) return { file, key, message: `${file}: ${subject} is required` };
  return { file, key, message: `${file}: ${subject} ${issue.message} (got ${describe(issue.input)})` };
}

/**
 * Checks a post's slug and front matter. `data` may carry more keys than the front matter (Eleventy passes
 * the whole data cascade). Throws a PostError listing every problem, one line each.
 */
export function checkPost(file: string, data: unknown): Post {
  const where = displayPath(file);
  const slug = slugOf(file);
  const problems: PostProblem[] = [];
  if (!SLUG_PATTERN.test(slug)) {
    problems.push({
      file: where,
      message:
        `${where}: the file name "${slug}" must be a slug (lowercase letters, digits and single hyphens), ` +
        `because it becomes the post's URL /posts/<slug>/`,
    });
  }
  const result = v.safeParse(FrontMatterSchema, data ?? {});
  if (!result.success) problems.push(...result.issues.map((issue) => describeIssue(where, issue)));
  if (problems.length > 0 || !result.success) throw new PostError(problems);
  return { ...result.output, slug, file: where };
}

/** The problem with a date Eleventy is about to parse, or null when it is a date we accept. */
export function checkDate(file: string, value: unknown): PostProblem | null {
  const result = v.safeParse(PostDateSchema, value);
  if (result.success) return null;
  const where = displayPath(file);
  return { file: where, key: "date", message: `${where}: front matter "date" ${DATE} (got ${describe(value)})` };
}

/** Remembers which file claimed each slug, so a second post with the same slug fails instead of overwriting. */
export function createSlugRegister(): { claim(post: Pick<Post, "slug" | "file">): void; clear(): void } {
  const owners = new Map<string, string>();
  return {
    claim({ slug, file }) {
      const owner = owners.get(slug);
      if (owner !== undefined && owner !== file) {
        const message = `${file}: duplicate slug "${slug}": ${owner} already uses /posts/${slug}/`;
        throw new PostError([{ file, message }]);
      }
      owners.set(slug, file);
    },
    clear() {
      owners.clear();
    },
  };
}
