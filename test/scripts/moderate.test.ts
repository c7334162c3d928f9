// The moderation CLI as a moderator runs it: a real process (`node scripts/moderate.ts`) against the real worker
// under `wrangler dev` on loopback, asserting on what it prints and the exit code scripts rely on.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startWorker, type RunningWorker } from "../support/wrangler-dev.ts";
import { runModerate } from "../support/moderate-cli.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const WXR = join(ROOT, "test", "fixtures", "wxr", "leadership-academy.xml");
const POSTS = ["local-leadership-capabilities", "system-leadership-matters"] as const;

let worker: RunningWorker;
let reader = 0;

beforeAll(async () => {
  worker = await startWorker();
});

afterAll(async () => {
  await worker?.stop();
});

const moderate = (args: string[], env: Record<string, string> = {}) => runModerate(worker, args, env);

/** Submits a comment as a reader would (JSON); each call is a different reader, so the rate limit stays out of it. */
async function submit(post: string, body: string, author = "Jane Reader"): Promise<string> {
  reader++;
  const response = await fetch(`${worker.url}/api/comments`, {
    method: "POST",
    // wrangler dev passes this header through; Cloudflare's edge sets it itself in production.
    headers: { "content-type": "application/json", "cf-connecting-ip": `192.0.2.${reader % 250}` },
    body: JSON.stringify({ post, author, email: `reader${reader}@example.org`, body }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function admin(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${worker.url}${path}`, { ...init, headers: { authorization: `Bearer ${worker.token}`, ...init.headers } });
}

async function exportAll(): Promise<{ id: string; status: string; post: string; moderatedAt: string | null }[]> {
  return (await admin("/api/admin/export")).json() as Promise<{ id: string; status: string; post: string; moderatedAt: string | null }[]>;
}

async function threads(): Promise<unknown[]> {
  return Promise.all(POSTS.map(async (post) => (await fetch(`${worker.url}/api/comments?post=${post}`)).json()));
}

describe("moderate list", () => {
  it("shows the pending queue as a table: id, post, author, email, age and the comment's first line", async () => {
    const id = await submit("system-leadership-matters", "Systems thinking helps\nbut this second line stays hidden", "Ada Table");
    const { code, stdout } = await moderate(["list"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ID\s+POST\s+AUTHOR\s+AGE\s+COMMENT$/m);
    const row = stdout.split("\n").find((line) => line.startsWith(id));
    // Records keep only the address's hash, so there is no email column.
    expect(row).toMatch(/system-leadership-matters\s+Ada Table\s+\d+ s\s+Systems thinking helps$/);
    expect(stdout).not.toContain("second line");
  });

  it("filters by status and post", async () => {
    const onLocal = await submit("local-leadership-capabilities", "On the local post");
    const onSystem = await submit("system-leadership-matters", "On the system post");
    await moderate(["approve", onLocal, onSystem]);
    const { code, stdout } = await moderate(["list", "--status", "approved", "--post", "local-leadership-capabilities"]);
    expect(code).toBe(0);
    expect(stdout).toContain(onLocal);
    expect(stdout).not.toContain(onSystem);
  });

  it("says so when the queue is empty", async () => {
    await submit("local-leadership-capabilities", "Soon rejected");
    const pending = (await exportAll()).filter((c) => c.status === "pending").map((c) => c.id);
    await moderate(["reject", ...pending]);
    const { code, stdout } = await moderate(["list"]);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe("No pending comments.");
  });
});

describe("moderate show", () => {
  it("shows every field, status and times included, and the full text", async () => {
    const id = await submit("local-leadership-capabilities", "First line\nSecond line, shown in full", "Grace Show");
    const { code, stdout } = await moderate(["show", id]);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^id:\\s+${id}$`, "m"));
    expect(stdout).toMatch(/^post:\s+local-leadership-capabilities \(Local leadership capabilities\)$/m);
    expect(stdout).toMatch(/^status:\s+pending$/m);
    expect(stdout).toMatch(/^author:\s+Grace Show$/m);
    expect(stdout).toMatch(/^createdAt:\s+\d{4}-\d{2}-\d{2}T/m);
    expect(stdout).toMatch(/^moderatedAt:\s+-$/m);
    expect(stdout).toContain("First line\nSecond line, shown in full");
  });
});

describe("moderate approve, reject, delete", () => {
  it("approves a comment, which then appears in the post's public thread with a moderation time", async () => {
    const id = await submit("system-leadership-matters", "Please publish me");
    const { code, stdout } = await moderate(["approve", id]);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(`approved ${id} (text revision 0)`);
    const thread = (await (await fetch(`${worker.url}/api/comments?post=system-leadership-matters`)).json()) as { comments: { id: string }[] };
    expect(thread.comments.map((c) => c.id)).toContain(id);
    expect((await moderate(["show", id])).stdout).toMatch(/^moderatedAt:\s+\d{4}-/m);
  });

  it("rejects a comment: kept with status rejected, never published", async () => {
    const id = await submit("system-leadership-matters", "Please do not publish me");
    const { code, stdout } = await moderate(["reject", id]);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(`rejected ${id}`);
    expect((await moderate(["show", id])).stdout).toMatch(/^status:\s+rejected$/m);
  });

  it("deletes a comment for good", async () => {
    const id = await submit("local-leadership-capabilities", "Delete me");
    const { code, stdout } = await moderate(["delete", id]);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(`deleted ${id}`);
    expect((await exportAll()).map((c) => c.id)).not.toContain(id);
  });

  it("handles several ids at once, reporting each", async () => {
    const ids = [await submit(POSTS[0], "One"), await submit(POSTS[1], "Two"), await submit(POSTS[0], "Three")];
    const { code, stdout } = await moderate(["approve", ...ids]);
    expect(code).toBe(0);
    expect(stdout.trim().split("\n")).toEqual(ids.map((id) => `approved ${id} (text revision 0)`));
  });

  it("reports an unknown id, still handles the others, and exits 1", async () => {
    const [first, second] = [await submit(POSTS[0], "Known one"), await submit(POSTS[1], "Known two")];
    const { code, stdout, stderr } = await moderate(["approve", first, "no-such-comment", second]);
    expect(code).toBe(1);
    expect(stdout.trim().split("\n")).toEqual([`approved ${first} (text revision 0)`, `approved ${second} (text revision 0)`]);
    expect(stderr.trim()).toBe("could not approve no-such-comment: no comment with this id");
  });

  it("exits 1 for show and delete of an unknown id too", async () => {
    expect(await moderate(["show", "no-such-comment"])).toMatchObject({ code: 1, stderr: "could not show no-such-comment: no comment with this id\n" });
    expect((await moderate(["delete", "no-such-comment"])).code).toBe(1);
  });
});

describe("moderate errors a script can rely on", () => {
  it("exits 3 with a clear message for a wrong token", async () => {
    const { code, stderr } = await moderate(["list"], { MODERATOR_TOKEN: "wrong-token" });
    expect(code).toBe(3);
    expect(stderr.trim()).toBe(`Wrong moderator token for ${worker.url}: the worker answered 401`);
  });

  it("exits 4 when nothing answers at the URL", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const { code, stderr } = await moderate(["approve", "some-id"], { COMMENTS_API_URL: url });
    expect(code).toBe(4);
    expect(stderr.trim()).toBe(`Cannot reach the comment service at ${url} (is \`npm start\` running?)`);
  });

  it("exits 2 for a usage error, naming the problem and where help is", async () => {
    const { code, stderr } = await moderate(["list", "--status", "deleted"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--status must be one of pending, approved, rejected, spam");
    expect(stderr).toContain("npm run moderate -- list --help");
  });
});

describe("moderate import and export", () => {
  it("imports the approved and pending comments of a WordPress export, and a second import changes nothing", async () => {
    const skipped = "skipped 1 spam, 1 deleted, 1 pingback, 1 on a thread with no post";
    const first = await moderate(["import", WXR]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.split("\n")[0]).toBe(`imported 6, ${skipped}`);
    expect(first.stdout).toContain("unmapped thread http://www.leadershipacademy.nhs.uk/blog/about/ (1 comment)");
    const afterFirst = (await exportAll()).filter((c) => c.id.startsWith("wp-"));
    const threadsAfterFirst = await threads();

    const second = await moderate(["import", WXR]);
    expect(second.code).toBe(0);
    expect(second.stdout.split("\n")[0]).toBe(`imported 0, 6 already there, ${skipped}`);
    expect((await exportAll()).filter((c) => c.id.startsWith("wp-"))).toEqual(afterFirst);
    expect(await threads()).toEqual(threadsAfterFirst);

    expect(afterFirst.map((c) => [c.id, c.post, c.status])).toEqual([
      ["wp-101", "local-leadership-capabilities", "approved"],
      ["wp-102", "local-leadership-capabilities", "approved"],
      ["wp-103", "local-leadership-capabilities", "pending"],
      ["wp-105", "local-leadership-capabilities", "approved"],
      ["wp-201", "system-leadership-matters", "approved"],
      ["wp-203", "system-leadership-matters", "pending"],
    ]);
    const local = (await (await fetch(`${worker.url}/api/comments?post=local-leadership-capabilities`)).json()) as {
      comments: { id: string; parentId: string | null }[];
    };
    expect(local.comments).toContainEqual(expect.objectContaining({ id: "wp-102", parentId: "wp-101" }));
  });

  it("export -> delete all -> import gives back the same threads, statuses and moderation times", async () => {
    const parent = await submit(POSTS[0], "A thread to back up", "Backup Parent");
    await moderate(["approve", parent]);
    const reply = await fetch(`${worker.url}/api/comments`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "198.51.100.7" },
      body: JSON.stringify({ post: POSTS[0], author: "Backup Reply", email: "reply@example.org", body: "A reply", parentId: parent }),
    });
    const replyId = ((await reply.json()) as { id: string }).id;
    await moderate(["approve", replyId]);
    await submit(POSTS[1], "Still pending at backup time");

    const exported = await moderate(["export"]);
    expect(exported.code).toBe(0);
    const exportFile = JSON.parse(exported.stdout) as { comments: { id: string }[]; audit: { action: string; id: string | null }[] };
    const backup = exportFile.comments;
    expect(exportFile.audit).toContainEqual(expect.objectContaining({ action: "approve", id: replyId }));
    const file = join(mkdtempSync(join(tmpdir(), "moderate-backup-")), "backup.json");
    writeFileSync(file, exported.stdout);
    const before = { threads: await threads(), records: await exportAll() };
    expect(backup).toEqual(before.records);

    const deleted = await moderate(["delete", ...backup.map((c) => c.id)]);
    expect(deleted.code).toBe(0);
    expect(await exportAll()).toEqual([]);
    expect(((await threads()) as { count: number }[]).map((t) => t.count)).toEqual([0, 0]);

    const refused = await moderate(["import", file]);
    expect(refused.code).toBe(0);
    expect(refused.stdout.trim()).toBe(`imported 0, ${backup.length} deleted here left deleted`);
    expect(await exportAll()).toEqual([]);

    const restored = await moderate(["import", "--restore-deleted", file]);
    expect(restored.code).toBe(0);
    expect(restored.stdout.trim()).toBe(`imported ${backup.length}`);
    expect(await threads()).toEqual(before.threads);
    expect(await exportAll()).toEqual(before.records);
  });

  it("writes the export to a file with --output, readable by import", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "moderate-export-")), "out.json");
    const { code, stdout } = await moderate(["export", "--output", file]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^exported \d+ comments? and \d+ audit entr(y|ies) to /);
    expect((JSON.parse(readFileSync(file, "utf8")) as { comments: unknown }).comments).toEqual(await exportAll());
  });

  it("reports each entry the worker refuses (an unknown post) and exits 1", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "moderate-bad-")), "bad.json");
    const entry = { post: "no-such-post", author: "Old", email: null, body: "Lost", createdAt: "2012-01-01T00:00:00Z" };
    writeFileSync(file, JSON.stringify([{ ...entry, id: "bad-1" }]));
    const { code, stdout, stderr } = await moderate(["import", file]);
    expect(code).toBe(1);
    expect(stderr).toContain('could not import entry 1 (bad-1): post: There is no post "no-such-post".');
    expect(stderr).toContain("nothing from entries 1-1 was imported");
    expect(stdout.trim()).toBe("imported 0");
  });
});

describe("moderate migrate", () => {
  it("walks every stored comment record, reports them all as already in the ledger, and exits 0", async () => {
    await submit(POSTS[0], "A comment the ledger took in when it was submitted.");
    const run = await moderate(["migrate"]);
    expect(run.code, run.stderr).toBe(0);
    const counts = /migrated: (\d+) comment records? scanned, (\d+) added to the ledger, (\d+) already there; every thread republished/.exec(run.stdout);
    expect(counts, run.stdout).not.toBeNull();
    const [, scanned, added, present] = counts!.map(Number);
    expect(scanned).toBeGreaterThan(0);
    expect(added).toBe(0);
    expect(present).toBe(scanned);
  });
});

describe("moderate moderators, audit, rules and spam", () => {
  it("adds Ada, whose token approves; the audit shows it under her name; after revoke her token answers 401", async () => {
    const added = await moderate(["moderators", "add", "Ada", "--json"]);
    expect(added.code).toBe(0);
    const ada = JSON.parse(added.stdout) as { name: string; role: string; token: string };
    expect(ada).toMatchObject({ name: "Ada", role: "moderator", token: expect.any(String) });
    const id = await submit(POSTS[0], "Approved by Ada");
    const approved = await moderate(["approve", id], { MODERATOR_TOKEN: ada.token });
    expect(approved.code).toBe(0);
    const audit = await moderate(["audit", "--limit", "5"]);
    expect(audit.stdout).toMatch(new RegExp(`Ada\\s+approve\\s+${id}\\s+${POSTS[0]}\\s+pending -> approved`));
    const listed = await moderate(["moderators", "list"]);
    expect(listed.stdout).toMatch(/Ada\s+moderator/);
    expect(listed.stdout).not.toContain(ada.token);
    expect((await moderate(["moderators", "list"], { MODERATOR_TOKEN: ada.token })).code).toBe(3);
    expect((await moderate(["moderators", "revoke", "Ada"])).code).toBe(0);
    const refused = await moderate(["list"], { MODERATOR_TOKEN: ada.token });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("401");
  });

  it("marks a comment spam, which leaves the thread and shows under list --status spam", async () => {
    const id = await submit(POSTS[1], "Buy cheap things");
    await moderate(["approve", id]);
    expect((await moderate(["spam", id])).stdout.trim()).toBe(`marked spam ${id}`);
    expect((await moderate(["list", "--status", "spam"])).stdout).toContain(id);
    const thread = (await (await fetch(`${worker.url}/api/comments?post=${POSTS[1]}`)).json()) as { comments: { id: string }[] };
    expect(thread.comments.map((c) => c.id)).not.toContain(id);
  });

  it("adds, lists and removes a rule that holds comments with a word", async () => {
    const added = await moderate(["rules", "add", "word", "lottery", "--action", "spam"]);
    expect(added.code).toBe(0);
    const ruleId = /added rule (\S+):/.exec(added.stdout)?.[1];
    expect(ruleId).toBeDefined();
    const caught = await submit(POSTS[0], "You won the LOTTERY");
    expect((await moderate(["list", "--status", "spam"])).stdout).toContain(caught);
    expect((await moderate(["rules", "list"])).stdout).toMatch(new RegExp(`${ruleId}\\s+word\\s+lottery\\s+spam`));
    expect((await moderate(["rules", "remove", ruleId!])).code).toBe(0);
    expect((await moderate(["rules", "list"])).stdout).not.toContain(ruleId!);
    expect((await moderate(["audit"])).stdout).toMatch(/rule-remove/);
  });
});
