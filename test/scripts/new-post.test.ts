// scripts/new-post.ts (`npm run new-post -- "Title"`): starts a draft post that the build accepts. Every test
// writes into a temporary folder; nothing is left in posts/.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import matter from "gray-matter";
import { describe, expect, it } from "vitest";
import { localDate, postSource, runNewPost, slugify } from "../../scripts/new-post.ts";
import { checkPost } from "../../site/front-matter.ts";
import { buildSite, createProject, ROOT } from "../site/build-site.ts";

const SCRIPT = join(ROOT, "scripts", "new-post.ts");
const NOW = new Date(2026, 10, 23, 9, 30);

/** Runs the command in a new temporary folder; returns its folder, exit code and output. */
function run(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), "new-post-"));
  const out: string[] = [];
  const err: string[] = [];
  const code = runNewPost(args, { out: (t) => out.push(t), err: (t) => err.push(t), cwd, env: options.env ?? {}, now: NOW });
  return { cwd, code, out: out.join("\n"), err: err.join("\n") };
}

describe("slugify", () => {
  it.each([
    ["A test title", "a-test-title"],
    ["  System leadership: why it matters!  ", "system-leadership-why-it-matters"],
    ["Café & crèche — what’s next?", "cafe-and-creche-whats-next"],
    ["NHS 2026", "nhs-2026"],
  ])("makes %j into %j", (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });
});

describe("postSource", () => {
  it.each([["A test title"], ["Leadership: a view"], ["2026"], ["Yes"], ['Quotes "inside" and # hash']])(
    "writes a title like %j so the build's schema reads it back exactly",
    (title) => {
      const post = checkPost("posts/x.md", matter(postSource({ title, author: "O'Brien: Ann", date: "2026-11-23" })).data);
      expect(post).toMatchObject({ title, author: "O'Brien: Ann", draft: true });
      expect(post.date).toEqual(new Date("2026-11-23T00:00:00Z"));
    },
  );
});

describe("npm run new-post", () => {
  it("writes posts/<slug>.md with the title, today's date, the author and draft: true, and prints the path and preview URL", () => {
    const { cwd, code, out } = run(["A test title", "--author", "Ann Author"]);
    expect(code).toBe(0);
    const file = join(cwd, "posts", "a-test-title.md");
    const { data } = matter(readFileSync(file, "utf8"));
    expect(data).toMatchObject({ title: "A test title", author: "Ann Author", draft: true });
    expect(localDate(data.date)).toBe("2026-11-23");
    expect(out).toContain("Created posts/a-test-title.md");
    expect(out).toContain("http://localhost:8080/posts/a-test-title/");
  });

  it("uses the preview port npm start uses (PORT)", () => {
    expect(run(["Ported", "--author", "A"], { env: { PORT: "8181" } }).out).toContain("http://localhost:8181/posts/ported/");
  });

  it("refuses a slug that a post already uses, in any sub-folder, and leaves that post alone", () => {
    const cwd = mkdtempSync(join(tmpdir(), "new-post-"));
    mkdirSync(join(cwd, "posts", "2013"), { recursive: true });
    writeFileSync(join(cwd, "posts", "2013", "a-test-title.md"), "existing");
    const { code, err } = run(["A Test Title!", "--author", "A"], { cwd });
    expect(code).toBe(1);
    expect(err).toContain("posts/2013/a-test-title.md already uses the address /posts/a-test-title/");
    expect(readdirSync(join(cwd, "posts"))).toEqual(["2013"]);
    expect(readFileSync(join(cwd, "posts", "2013", "a-test-title.md"), "utf8")).toBe("existing");
  });

  it("refuses a missing title or one with nothing to make an address from", () => {
    expect(run(["--author", "A"])).toMatchObject({ code: 2, err: expect.stringContaining("give the post's title") });
    const { cwd, code } = run(["???", "--author", "A"]);
    expect(code).toBe(2);
    expect(existsSync(join(cwd, "posts"))).toBe(false);
  });

  it("takes the author from git config user.name, and says how to set one when there is none", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "new-post-"));
    const gitConfig = join(cwd, "gitconfig");
    writeFileSync(gitConfig, "[user]\n\tname = Grace Git\n");
    const env = { ...process.env, GIT_CONFIG_GLOBAL: gitConfig, GIT_CONFIG_NOSYSTEM: "1", GIT_CEILING_DIRECTORIES: tmpdir() };
    const { stdout } = await promisify(execFile)(process.execPath, [SCRIPT, "From git"], { cwd, env });
    expect(stdout).toContain("Created posts/from-git.md");
    expect(matter(readFileSync(join(cwd, "posts", "from-git.md"), "utf8")).data.author).toBe("Grace Git");

    writeFileSync(gitConfig, "");
    const failed = promisify(execFile)(process.execPath, [SCRIPT, "No author"], { cwd, env });
    await expect(failed).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("--author") });
    expect(existsSync(join(cwd, "posts", "no-author.md"))).toBe(false);
  });

  it("writes a draft that npm run build accepts and leaves out, and that the preview shows", async () => {
    const project = createProject({ "published-post.md": "published-post.md" });
    expect(run(["A test title", "--author", "Ann Author", "--posts-dir", join(project, "posts")]).code).toBe(0);
    const build = await buildSite({ project });
    expect(build.files()).toContain("/posts/published-post/index.html");
    expect(build.files().some((file) => file.includes("a-test-title"))).toBe(false);
    const preview = await buildSite({ project, runMode: "serve" });
    expect(preview.read("/posts/a-test-title/")).toContain("A test title");
  });
});
