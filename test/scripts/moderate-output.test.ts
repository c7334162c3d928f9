// The moderation CLI's pieces that need no worker: ages, the table, `show`, config resolution, help and usage.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AdminComment } from "../../scripts/moderate/api.ts";
import { runCli } from "../../scripts/moderate/cli.ts";
import { DEFAULT_API_URL, MissingTokenError, resolveConfig } from "../../scripts/moderate/config.ts";
import { formatImportReport } from "../../scripts/moderate/import/report.ts";
import { formatAudit } from "../../scripts/moderate/desk.ts";
import { formatStatus } from "../../scripts/moderate/status.ts";
import { formatAge, formatComment, formatTable } from "../../scripts/moderate/table.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
const COMMENT: AdminComment = {
  id: "01JDV5Z0000000000000000000",
  post: "system-leadership-matters",
  parentId: null,
  author: "Jane Reader",
  email: "jane@example.org",
  website: null,
  body: "\nFirst line that is rather long and goes on and on about system leadership\nSecond line",
  createdAt: "2026-11-23T09:00:00.000Z",
  status: "pending",
  moderatedAt: null,
};

describe("formatAge", () => {
  it.each([
    ["2026-11-23T11:59:30Z", "30 s"],
    ["2026-11-23T11:48:00Z", "12 min"],
    ["2026-11-23T09:00:00Z", "3 h"],
    ["2026-11-20T12:00:00Z", "3 d"],
    ["2026-07-23T12:00:00Z", "4 mo"],
    ["2012-05-17T08:15:00Z", "14 y"],
  ])("shows %s as %s", (iso, age) => {
    expect(formatAge(iso, NOW)).toBe(age);
  });
});

describe("formatTable", () => {
  it("shows id, post, author, age and the first line of the comment under a header", () => {
    const [header, row] = formatTable([COMMENT], 200, NOW).split("\n");
    expect(header).toMatch(/^ID\s+POST\s+AUTHOR\s+AGE\s+COMMENT$/);
    expect(row).toContain(COMMENT.id);
    expect(row).toContain("system-leadership-matters  Jane Reader  3 h  First line that is");
    expect(row).not.toContain("Second line");
  });

  it("cuts the comment with an ellipsis to fit the terminal, but never the id", () => {
    const lines = formatTable([COMMENT], 120, NOW).split("\n");
    for (const line of lines) expect(Array.from(line).length).toBeLessThanOrEqual(120);
    expect(lines[1]).toMatch(/…$/);
    expect(lines[1]).toContain(COMMENT.id);
  });

  it("never passes a terminal escape sequence from a comment on to the moderator's terminal", () => {
    const hostile = { ...COMMENT, author: "Eve\u001b]0;pwned\u0007", body: "Hi\u001b[2J\u009b31m there" };
    const output = formatTable([hostile], 200, NOW) + formatComment(hostile, null, NOW);
    expect(output).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
    expect(output).toContain("Eve\uFFFD]0;pwned\uFFFD");
  });

  it("shows no email, even from a record that still holds one: addresses are kept only as a salted hash", () => {
    expect(formatTable([COMMENT], 200, NOW)).not.toContain("jane@example.org");
    expect(formatComment(COMMENT, null, NOW)).not.toContain("jane@example.org");
  });
});

describe("formatComment", () => {
  it("shows every field, status and moderation time included, and then the full text", () => {
    const approved = { ...COMMENT, status: "approved" as const, moderatedAt: "2026-11-23T11:00:00.000Z" };
    const text = formatComment(approved, "System leadership matters", NOW);
    expect(text).toMatch(/^id:\s+01JDV5Z/m);
    expect(text).toMatch(/^post:\s+system-leadership-matters \(System leadership matters\)$/m);
    expect(text).toMatch(/^status:\s+approved$/m);
    expect(text).toMatch(/^createdAt:\s+2026-11-23T09:00:00.000Z \(3 h ago\)$/m);
    expect(text).toMatch(/^moderatedAt:\s+2026-11-23T11:00:00.000Z \(1 h ago\)$/m);
    expect(text).toMatch(/^website:\s+-$/m);
    expect(text.endsWith(COMMENT.body)).toBe(true);
  });
});

describe("resolveConfig", () => {
  const root = mkdtempSync(join(tmpdir(), "moderate-config-"));
  writeFileSync(join(root, ".dev.vars"), "# local secrets\nIP_HASH_SALT=x\nMODERATOR_TOKEN=\"from-dev-vars\"\n");

  it("uses COMMENTS_API_URL and MODERATOR_TOKEN from the environment first", () => {
    expect(resolveConfig({ COMMENTS_API_URL: "https://comments.example/", MODERATOR_TOKEN: "t" }, root)).toEqual({
      url: "https://comments.example",
      token: "t",
    });
  });

  it("falls back to the local worker and the token npm start wrote into .dev.vars", () => {
    expect(resolveConfig({}, root)).toEqual({ url: DEFAULT_API_URL, token: "from-dev-vars" });
  });

  it("fails with a clear message when no token is set anywhere", () => {
    const empty = mkdtempSync(join(tmpdir(), "moderate-config-"));
    expect(() => resolveConfig({}, empty)).toThrow(MissingTokenError);
    expect(() => resolveConfig({}, empty)).toThrow(/MODERATOR_TOKEN/);
  });
});

describe("formatImportReport", () => {
  const plan = {
    source: "disqus" as const, byStatus: { approved: 3, pending: 1, spam: 2, deleted: 1 }, duplicatesInFile: 0, notComments: 0, empty: 0,
    unmapped: [{ key: "about", url: "https://old.example.org/about/", comments: 2 }],
    orphans: [{ id: "disqus-abc", parent: "5", reason: "deleted" as const }], placeholders: 1,
    dateRange: { first: "2012-12-31T23:59:59.000Z", last: "2013-01-05T10:00:00.000Z" },
  };
  const report = { file: "export.xml", format: "disqus", dryRun: false, toSend: 3, imported: 2, duplicates: 1, keptDeleted: 1, plan, problems: [] };

  it("says what was imported, what was there already or deleted here, and names every reason something was skipped", () => {
    expect(formatImportReport(report)[0]).toBe("imported 2, 1 already there, 1 deleted here left deleted, skipped 2 spam, 1 deleted, 2 on a thread with no post");
  });

  it("gives the counts by status and the date range, the orphans under placeholders and each unmapped thread's URL", () => {
    expect(formatImportReport(report).slice(1)).toEqual([
      "disqus file export.xml: 3 approved, 1 pending, 2 spam, 1 deleted, 2012-12-31T23:59:59.000Z to 2013-01-05T10:00:00.000Z",
      '1 "[deleted]" placeholder keeps replies in place:',
      "  reply disqus-abc: its parent 5 is deleted",
      "unmapped thread https://old.example.org/about/ (2 comments): no post has its slug; add a --map line for it",
    ]);
  });

  it("says 'would import' in a dry run, and only the count for our own export", () => {
    expect(formatImportReport({ ...report, dryRun: true, duplicates: 0, keptDeleted: 0 })[0]).toMatch(/^would import 3, skipped/);
    expect(formatImportReport({ ...report, plan: null, duplicates: 0, keptDeleted: 0 })).toEqual(["imported 2"]);
  });
});

describe("runCli without a worker", () => {
  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, columns: 120 });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  it.each(["list", "show", "approve", "reject", "spam", "delete", "export", "import", "moderators", "rules", "audit"])("explains the %s command with --help", async (name) => {
    const { code, out } = await run(name, "--help");
    expect(code).toBe(0);
    expect(out).toContain(`npm run moderate -- ${name}`);
  });

  it("lists every command and the exit codes in the general help", async () => {
    const { code, out } = await run("--help");
    expect(code).toBe(0);
    for (const name of ["list", "show", "approve", "reject", "spam", "delete", "export", "import", "moderators", "rules", "audit"]) expect(out).toContain(name);
    expect(out).toMatch(/Exit codes/);
  });

  it.each([
    [["frob"], /Unknown command "frob"/],
    [["list", "--colour"], /Unknown option '--colour'/],
    [["list", "--status", "deleted"], /--status must be one of/],
    [["moderators"], /moderators needs one of: add, list, revoke/],
    [["moderators", "add"], /moderators add takes 1 argument/],
    [["moderators", "add", "Ada", "--role", "admin"], /--role must be one of owner, moderator/],
    [["rules", "add", "ip", "10.0.0.1"], /the rule kind must be one of/],
    [["rules", "add", "word", "casino", "--action", "delete"], /--action must be one of hold, spam/],
    [["audit", "--limit", "ten"], /--limit must be a whole number/],
    [["approve"], /approve needs at least one id/],
    [["import"], /import needs a file/],
    [["import", "/no/such/file.json"], /Cannot import \/no\/such\/file.json: no such file/],
  ])("refuses %j as a usage error (exit 2) before calling the worker", async (argv, message) => {
    const { code, err } = await run(...argv);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it("previews a WordPress import with --dry-run without a token or a worker", async () => {
    const file = join(import.meta.dirname, "..", "fixtures", "wxr", "leadership-academy.xml");
    const { code, out } = await run("import", "--dry-run", file);
    expect(code).toBe(0);
    expect(out).toContain("would import 6, skipped 1 spam, 1 deleted, 1 pingback, 1 on a thread with no post");
    expect(out).toContain("unmapped thread http://www.leadershipacademy.nhs.uk/blog/about/ (1 comment)");
  });
});

describe("formatAudit", () => {
  it("shows one line per entry: when, who, what, which comment, where, and the change or what was changed", () => {
    const lines = formatAudit([
      { seq: 2, at: "2026-11-23T12:00:00.123Z", moderator: "Ada", action: "approve", id: "c1", post: "system-leadership-matters", from: "pending", to: "approved" },
      { seq: 1, at: "2026-11-23T11:00:00.000Z", moderator: "owner", action: "moderator-add", id: null, post: null, from: null, to: null, detail: { name: "Ada", role: "moderator" } },
    ]).split("\n");
    expect(lines[0]).toMatch(/^AT\s+MODERATOR\s+ACTION\s+ID\s+POST\s+CHANGE$/);
    expect(lines[1]).toMatch(/^2026-11-23T12:00:00Z\s+Ada\s+approve\s+c1\s+system-leadership-matters\s+pending -> approved$/);
    expect(lines[2]).toMatch(/owner\s+moderator-add\s+-\s+-\s+Ada \(moderator\)$/);
  });
});

describe("formatStatus", () => {
  const base = { hook: true, version: 12, liveVersion: 10, owedVersion: 12, owedSince: "2026-11-23T11:00:00.000Z", attempts: 3,
    lastError: "the deploy hook answered 500", nextAttemptAt: "2026-11-23T11:07:00.000Z", lastCalledAt: "2026-11-23T11:03:00.000Z", checkedAt: "2026-11-23T11:03:00.000Z" };

  it("shows how far the site is behind, since when, the hook calls and the last error", () => {
    expect(formatStatus(base)).toBe([
      "Publication version  12 (what readers of the live thread see)",
      "Live site            version 10 (last checked 2026-11-23T11:03:00.000Z)",
      "Site rebuild         owed for version 12, 2 behind, since 2026-11-23T11:00:00.000Z",
      "Hook calls           3 (last 2026-11-23T11:03:00.000Z; next 2026-11-23T11:07:00.000Z)",
      "Last hook error      the deploy hook answered 500",
    ].join("\n"));
  });

  it("says the site is up to date when nothing is owed", () => {
    const status = formatStatus({ ...base, liveVersion: 12, owedVersion: null, owedSince: null, attempts: 0, lastError: null, nextAttemptAt: null });
    expect(status).toContain("Site rebuild         none owed: the live site is up to date");
    expect(status).not.toContain("Last hook error");
  });

  it("says no rebuild is asked for without a deploy hook", () => {
    expect(formatStatus({ ...base, hook: false, owedVersion: null })).toContain("not asked for: the worker has no DEPLOY_HOOK_URL");
  });
});
