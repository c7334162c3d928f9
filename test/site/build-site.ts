// Builds the site with Eleventy's programmatic API into a temporary folder, for tests that read what a reader
// gets. `createProject` makes a temporary copy of the site's sources with fixture posts, so drafts and broken
// front matter are tested against the real configuration without touching posts/.
import Eleventy from "@11ty/eleventy";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { vi } from "vitest";

export const ROOT = resolve(import.meta.dirname, "..", "..");
export const FIXTURES = join(ROOT, "test", "fixtures", "site");

/**
 * What a project copy needs besides its posts: client/ for the comment script the build bundles, worker/ for the
 * comment renderer the build uses on threads published before comments had a content tree (site/comments-data.ts).
 */
const SITE_SOURCES = [".eleventy.ts", "site", "layouts", "posts/posts.11tydata.ts", "client", "worker"];

export interface BuiltSite {
  dir: string;
  /** The output file at `path` ("/posts/x/" reads its index.html), as text. */
  read(path: string): string;
  /** Every output file, as root-relative URLs ("/feed.xml", "/posts/x/index.html"), sorted. */
  files(): string[];
}

export interface BuildOptions {
  /** The project folder (default: this repository). */
  project?: string;
  /** "serve" and "watch" preview drafts, as `npm start` does. */
  runMode?: "build" | "serve" | "watch";
  /** Environment variables for the build (SITE_URL, COMMENTS_API_URL). */
  env?: Record<string, string>;
}

/**
 * A temporary copy of the site's sources whose posts/ holds the given fixture posts
 * (path under posts/ -> file name in test/fixtures/site/posts/). Returns its folder.
 */
export function createProject(posts: Record<string, string>): string {
  const project = mkdtempSync(join(tmpdir(), "site-project-"));
  for (const source of SITE_SOURCES) {
    if (existsSync(join(ROOT, source))) cpSync(join(ROOT, source), join(project, source), { recursive: true });
  }
  for (const [target, fixture] of Object.entries(posts)) {
    mkdirSync(dirname(join(project, "posts", target)), { recursive: true });
    cpSync(join(FIXTURES, "posts", fixture), join(project, "posts", target));
  }
  symlinkSync(join(ROOT, "node_modules"), join(project, "node_modules"), "dir");
  return project;
}

/** The date of generated post `n` (1 is the newest): a week apart, back from 2 January 2024, so they span years. */
export function generatedPostDate(n: number): string {
  return new Date(Date.UTC(2024, 0, 2) - (n - 1) * 7 * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A temporary copy of the site's sources with `count` generated posts, post-01 (the newest) to post-<count>, dated
 * by `generatedPostDate`. Every post has the topic "fixtures" and a summary "Summary of post N."; odd-numbered
 * posts also have the topic "odd". For the lists that show only some posts (home page, feeds).
 */
export function createProjectWithPosts(count: number): string {
  const project = createProject({});
  mkdirSync(join(project, "posts"), { recursive: true });
  for (let n = 1; n <= count; n++) {
    const id = String(n).padStart(2, "0");
    const tags = n % 2 === 1 ? "[fixtures, odd]" : "[fixtures]";
    const front = `title: Post ${id}\ndate: ${generatedPostDate(n)}\nauthor: Test Author\nintro: Summary of post ${n}.\ntags: ${tags}`;
    writeFileSync(join(project, "posts", `post-${id}.md`), `---\n${front}\n---\nThe text of post ${n}, with [a link](/posts/post-01/).\n`);
  }
  return project;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `/${join(entry.parentPath, entry.name).slice(dir.length + 1).replaceAll("\\", "/")}`)
    .sort();
}

/**
 * Builds `project` into a new temporary folder. Eleventy runs from inside the project (it finds directory data
 * files relative to the working directory), so builds are serialised: one at a time per test process.
 */
export async function buildSite(options: BuildOptions = {}): Promise<BuiltSite> {
  const run = queue.then(() => buildNow(options));
  queue = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Builds never read a developer's running comment service or their snapshot unless a test says so: the
 * default service address refuses connections at once, and each build gets its own snapshot file. Nor do
 * they print GitHub annotations when the tests run in Actions: a fixture's broken post is meant to fail, and
 * must not show as an error in the pull request (a test that wants them passes GITHUB_ACTIONS itself).
 */
const QUIET_COMMENTS = { COMMENTS_API_URL: "http://127.0.0.1:9", GITHUB_ACTIONS: "false" };

async function buildNow({ project = ROOT, runMode = "build", env: given = {} }: BuildOptions): Promise<BuiltSite> {
  const dir = mkdtempSync(join(tmpdir(), "site-build-"));
  const env = { ...QUIET_COMMENTS, COMMENTS_SNAPSHOT: join(mkdtempSync(join(tmpdir(), "snapshot-")), "comments.json"), ...given };
  const cwd = process.cwd();
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  process.chdir(project);
  // Eleventy logs "Wrote N files" and, for a failed build, the whole error chain even in quiet mode. The
  // thrown error carries the same messages, so the test output stays readable without them.
  const quiet = (["log", "warn", "error"] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation(() => undefined),
  );
  try {
    await new Eleventy(".", dir, { configPath: ".eleventy.ts", quietMode: true, runMode }).write();
  } finally {
    for (const spy of quiet) spy.mockRestore();
    process.chdir(cwd);
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  return {
    dir,
    read(path) {
      const file = join(dir, path.endsWith("/") ? `${path}index.html` : path);
      if (!existsSync(file)) throw new Error(`the build has no ${path}`);
      return readFileSync(file, "utf8");
    },
    files: () => listFiles(dir),
  };
}

/** The messages of a failed build, outermost first, one a line (Eleventy wraps the error that caused it). */
export async function buildFailure(options: BuildOptions): Promise<string> {
  try {
    await buildSite(options);
  } catch (error) {
    const messages: string[] = [];
    for (let cause: unknown = error; cause instanceof Error; ) {
      messages.push(cause.message);
      const next = cause as Error & { originalError?: unknown };
      cause = next.originalError ?? next.cause;
    }
    return messages.join("\n");
  }
  throw new Error("expected the build to fail, and it succeeded");
}
