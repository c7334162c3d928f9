// scripts/write-post-manifest.ts: tells the worker which posts exist, using the build's front-matter schema.
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { buildManifest, listPostFiles, readPost, writePostManifest } from "../../scripts/write-post-manifest.ts";
import { FIXTURES, ROOT } from "./build-site.ts";

/** A temporary project root whose posts/ holds the given fixtures (path under posts/ -> fixture name). */
function postsFolder(posts: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "manifest-"));
  for (const [target, fixture] of Object.entries(posts)) {
    mkdirSync(join(root, "posts", target, ".."), { recursive: true });
    cpSync(join(FIXTURES, "posts", fixture), join(root, "posts", target));
  }
  return root;
}

const fixture = (name: string): string => readFileSync(join(FIXTURES, "posts", name), "utf8");

describe("writePostManifest", () => {
  it("lists the two published posts by slug with their titles and URLs", () => {
    const out = join(mkdtempSync(join(tmpdir(), "manifest-")), "posts.generated.json");
    const manifest = writePostManifest(join(ROOT, "posts"), out);
    const expected = {
      posts: {
        "local-leadership-capabilities": {
          title: "Local leadership capabilities",
          url: "/posts/local-leadership-capabilities/",
        },
        "system-leadership-matters": { title: "System leadership matters", url: "/posts/system-leadership-matters/" },
      },
    };
    expect(manifest).toEqual(expected);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(expected);
  });
});

describe("listPostFiles", () => {
  it("finds Markdown posts in sub-folders too, named as Eleventy names them, and skips other files", () => {
    const root = postsFolder({ "b.md": "published-post.md", "2013/a.md": "draft-post.md" });
    expect(listPostFiles(join(root, "posts"), root)).toEqual(["posts/2013/a.md", "posts/b.md"]);
    expect(listPostFiles(join(ROOT, "posts"))).toEqual([
      "posts/local-leadership-capabilities.md",
      "posts/system-leadership-matters.md",
    ]);
  });
});

describe("readPost", () => {
  it("reads the front matter with the build's schema", () => {
    expect(readPost("posts/published-post.md", fixture("published-post.md"))).toMatchObject({
      slug: "published-post",
      title: "A published post",
      date: new Date("2013-01-15T00:00:00Z"),
      tags: ["fixtures"],
      draft: false,
    });
  });

  it("fails on broken front matter with the same message as the build", () => {
    expect(() => readPost("posts/bad-date.md", fixture("bad-date.md"))).toThrow(
      'posts/bad-date.md: front matter "date" must be a date like 2012-09-24 (got "soon")',
    );
    expect(() => readPost("posts/missing-title.md", fixture("missing-title.md"))).toThrow(
      'posts/missing-title.md: front matter "title" is required',
    );
  });
});

describe("buildManifest", () => {
  const published = readPost("posts/published-post.md", fixture("published-post.md"));
  const draft = readPost("posts/draft-post.md", fixture("draft-post.md"));

  it("leaves drafts out: no one can comment on a post that is not published", () => {
    expect(buildManifest([draft, published])).toEqual({
      posts: { "published-post": { title: "A published post", url: "/posts/published-post/" } },
    });
  });

  it("refuses two posts with the same slug", () => {
    const copy = { ...published, file: "posts/2013/published-post.md" };
    expect(() => buildManifest([published, copy])).toThrow('duplicate slug "published-post"');
  });
});

describe("node scripts/write-post-manifest.ts", () => {
  /** Runs the script as wrangler's [build] does, in the folder `root`, with `env` over this process's environment. */
  const writeManifest = (root: string, env: Record<string, string>) =>
    promisify(execFile)(process.execPath, [join(ROOT, "scripts/write-post-manifest.ts"), "posts", "out/posts.generated.json"], {
      cwd: root,
      env: { ...process.env, ...env },
    });

  it("exits with status 1 and names the file and the key when a post is broken", async () => {
    const root = postsFolder({ "published-post.md": "published-post.md", "bad-date.md": "bad-date.md" });
    const run = writeManifest(root, { GITHUB_ACTIONS: "false" });
    await expect(run).rejects.toMatchObject({
      code: 1,
      stdout: "",
      stderr: expect.stringContaining('posts/bad-date.md: front matter "date" must be a date like 2012-09-24 (got "soon")'),
    });
  });

  it("in GitHub Actions, also prints an error annotation on the line of the broken key", async () => {
    const root = postsFolder({ "published-post.md": "published-post.md", "2013/bad-date.md": "bad-date.md" });
    const run = writeManifest(root, { GITHUB_ACTIONS: "true" });
    await expect(run).rejects.toMatchObject({
      code: 1,
      stdout:
        '::error file=posts/2013/bad-date.md,line=3,title=Front matter "date"::' +
        'front matter "date" must be a date like 2012-09-24 (got "soon")\n',
    });
  });

  it("writes the manifest where it is told and says how many posts it found", async () => {
    const root = postsFolder({ "published-post.md": "published-post.md", "draft-post.md": "draft-post.md" });
    const { stdout } = await writeManifest(root, {});
    expect(stdout).toBe("write-post-manifest: 1 post -> out/posts.generated.json\n");
    expect(Object.keys(JSON.parse(readFileSync(join(root, "out/posts.generated.json"), "utf8")).posts)).toEqual([
      "published-post",
    ]);
  });
});
