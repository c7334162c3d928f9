// `moderate import` from other comment systems, end to end: the real CLI process against the real worker under
// `wrangler dev`, with the hand-written exports of test/fixtures/import/ gzipped as the systems hand them out.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importId, PLACEHOLDER_TEXT } from "../../scripts/moderate/import/plan.ts";
import { gzipped, tempDir } from "../support/import.ts";
import { startWorker, type RunningWorker } from "../support/wrangler-dev.ts";
import { runModerate } from "../support/moderate-cli.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const LOCAL = "local-leadership-capabilities";
const SYSTEM = "system-leadership-matters";

let worker: RunningWorker;

beforeAll(async () => {
  worker = await startWorker();
});

afterAll(async () => {
  await worker?.stop();
});
const moderate = (args: string[], env: Record<string, string> = {}) => runModerate(worker, args, env);

interface Published { id: string; parentId: string | null; author: string; body: string; createdAt: string }

async function thread(post: string): Promise<Published[]> {
  return ((await (await fetch(`${worker.url}/api/comments?post=${post}`)).json()) as { comments: Published[] }).comments;
}

async function stored(prefix: string): Promise<{ id: string; status: string; post: string }[]> {
  const response = await fetch(`${worker.url}/api/admin/export`, { headers: { authorization: `Bearer ${worker.token}` } });
  return ((await response.json()) as { id: string; status: string; post: string }[]).filter((c) => c.id.startsWith(prefix));
}

describe("moderate import from Disqus", () => {
  const file = gzipped("disqus/export.xml", "disqus-export.xml.gz");
  const id = (n: string) => importId("disqus", n);
  const placeholder = importId("disqus", "5", "placeholder", LOCAL);

  it("publishes the approved comments under their parents, the deleted one's reply under a placeholder, and reports what it skipped", async () => {
    const run = await moderate(["import", file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split("\n")).toEqual([
      "imported 5, skipped 1 spam, 1 deleted, 1 on a thread with no post",
      `disqus file ${file}: 5 approved, 0 pending, 1 spam, 1 deleted, 2012-12-31T23:59:59.000Z to 2013-01-05T10:00:00.000Z`,
      '1 "[deleted]" placeholder keeps replies in place:',
      `  reply ${id("6")}: its parent 5 is deleted`,
      "unmapped thread https://old.example.org/about/ (1 comment): no post has its slug; add a --map line for it",
      "",
    ]);
    expect((await thread(LOCAL)).map((c) => [c.id, c.parentId, c.author, c.createdAt])).toEqual([
      [id("1"), null, "Alice Adams", "2012-12-31T23:59:59.000Z"],
      [id("2"), id("1"), "Bob Baker", "2013-01-01T09:00:00.000Z"],
      [placeholder, null, PLACEHOLDER_TEXT, "2013-01-03T08:00:00.000Z"],
      [id("6"), placeholder, "Erin Evans", "2013-01-03T12:00:00.000Z"],
    ]);
    expect((await thread(SYSTEM)).map((c) => c.author)).toEqual(["Mallory"]);
    expect((await stored("disqus-")).map((c) => c.id).sort()).toEqual([id("1"), id("2"), id("6"), id("7"), placeholder].sort());
  });

  it("adds nothing the second time, and does not bring back a comment deleted since", async () => {
    expect((await moderate(["delete", id("2")])).code).toBe(0);
    const run = await moderate(["import", file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe("imported 0, 4 already there, 1 deleted here left deleted, skipped 1 spam, 1 deleted, 1 on a thread with no post");
    expect((await thread(LOCAL)).map((c) => c.author)).toEqual(["Alice Adams", PLACEHOLDER_TEXT, "Erin Evans"]);
  });
});

describe("moderate import from Remark42 with --map", () => {
  it("moves the old about page's thread to the post the map names, and reports no unmapped thread", async () => {
    const map = join(tempDir("map-"), "urls.txt");
    writeFileSync(map, "# old address, new post\nhttps://old.example.org/about/ https://blog.example.org/posts/system-leadership-matters/\n");
    const run = await moderate(["import", "--json", "--map", map, gzipped("remark42/backup.jsonl", "remark42-backup.gz")]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { format: string; imported: number; plan: { unmapped: unknown[]; byStatus: Record<string, number> } };
    // Five comments and the placeholder for the deleted one's reply.
    expect(report).toMatchObject({ format: "remark42", imported: 6, plan: { unmapped: [], byStatus: { approved: 5, pending: 0, spam: 0, deleted: 1 } } });
    expect((await thread(SYSTEM)).filter((c) => c.id.startsWith("remark42-")).map((c) => c.author)).toEqual(["Mallory", "Frank Fisher"]);
  });
});

describe("moderate import from Commento", () => {
  it("previews with --dry-run --json and sends nothing, then imports the unapproved comment as pending", async () => {
    const file = gzipped("commento/export.json", "commento.json.gz");
    const preview = await moderate(["import", "--dry-run", "--json", file]);
    expect(preview.code, preview.stderr).toBe(0);
    expect(JSON.parse(preview.stdout)).toMatchObject({ dryRun: true, toSend: 6, imported: 0, plan: { byStatus: { approved: 5, pending: 1, spam: 1, deleted: 1 } } });
    expect(await stored("commento-")).toEqual([]);

    expect((await moderate(["import", file])).code).toBe(0);
    const pending = await moderate(["list", "--status", "pending", "--post", SYSTEM]);
    expect(pending.stdout).toContain(importId("commento", "c3c3"));
    expect((await thread(SYSTEM)).map((c) => c.id)).not.toContain(importId("commento", "c3c3"));
  });
});

describe("moderate import of a file it cannot read", () => {
  it("names the file and the problem, exits 2 and stores nothing", async () => {
    const bad = join(tempDir("bad-"), "broken.xml");
    writeFileSync(bad, readFileSync(join(ROOT, "test", "fixtures", "import", "disqus", "export.xml"), "utf8").replace("</post>", "</pots>"));
    const before = (await stored("")).length;
    const run = await moderate(["import", bad]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^Cannot import ${bad}: bad XML at line \\d+`));
    expect((await stored("")).length).toBe(before);
  });
});
