// Readable terminal output for the moderation CLI: the queue as a table that fits the terminal, one comment in
// full, and ages like "3 h".
import type { AdminComment } from "./api.ts";

// No email column: the service keeps a commenter's address only as a salted hash (docs/privacy.md).
const COLUMNS = ["ID", "POST", "AUTHOR", "AGE", "COMMENT"] as const;
// Longest shown before truncation; the id is never cut because moderators copy it into the next command.
const MAX_WIDTH = { POST: 32, AUTHOR: 20 } as const;
const MIN_COMMENT_WIDTH = 20;
const GAP = "  ";

/** What a table row needs: a listed comment, or one about to be imported (which may have no id yet). */
export type TableRow = Pick<AdminComment, "post" | "author" | "createdAt" | "body"> & { id?: string };

/** Formats how long ago `iso` was, in the largest unit that fits: "45 s", "12 min", "3 h", "5 d", "4 mo", "2 y". */
export function formatAge(iso: string, now: Date = new Date()): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 1000));
  if (Number.isNaN(seconds)) return "?";
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${Math.floor(seconds / 3600)} h`;
  const days = Math.floor(seconds / 86_400);
  if (days < 60) return `${days} d`;
  if (days < 730) return `${Math.floor(days / 30.44)} mo`;
  return `${Math.floor(days / 365.25)} y`;
}

/** Cuts `text` to `width` characters, ending with "…" when something was cut. */
export function truncate(text: string, width: number): string {
  const chars = Array.from(text);
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join("")}…`;
}

/** The first non-empty line of a comment, trimmed. */
export function firstLine(body: string): string {
  return body.split("\n").map((line) => line.trim()).find((line) => line !== "") ?? "";
}

/** Lays comments out as a table of `width` columns at most (the comment column takes what is left). */
export function formatTable(comments: readonly TableRow[], width: number, now: Date = new Date()): string {
  const rows = comments.map((c) => [
    oneLine(c.id ?? "-"),
    truncate(oneLine(c.post), MAX_WIDTH.POST),
    truncate(oneLine(c.author), MAX_WIDTH.AUTHOR),
    formatAge(String(c.createdAt), now),
    oneLine(firstLine(String(c.body))),
  ]);
  const widths = COLUMNS.slice(0, -1).map((title, i) =>
    Math.max(title.length, ...rows.map((row) => Array.from(row[i] ?? "").length)),
  );
  const used = widths.reduce((sum, w) => sum + w + GAP.length, 0);
  const commentWidth = Math.max(MIN_COMMENT_WIDTH, width - used);
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i < widths.length ? pad(cell, widths[i] ?? 0) : truncate(cell, commentWidth)))
      .join(GAP)
      .trimEnd();
  return [line(COLUMNS), ...rows.map(line)].join("\n");
}

/** Shows every field of one comment, then its full text. */
export function formatComment(comment: AdminComment, postTitle: string | null = null, now: Date = new Date()): string {
  const fields: [string, string][] = [
    ["id", comment.id],
    ["post", postTitle ? `${comment.post} (${postTitle})` : comment.post],
    ["status", comment.status],
    ["author", comment.author],
    ["website", comment.website ?? "-"],
    ["parentId", comment.parentId ?? "-"],
    ["createdAt", `${comment.createdAt} (${formatAge(comment.createdAt, now)} ago)`],
    ["moderatedAt", comment.moderatedAt ? `${comment.moderatedAt} (${formatAge(comment.moderatedAt, now)} ago)` : "-"],
  ];
  const labelWidth = Math.max(...fields.map(([label]) => label.length)) + 1;
  const lines = fields.map(([label, value]) => `${pad(`${label}:`, labelWidth)} ${oneLine(value)}`);
  return [...lines, "", showable(comment.body)].join("\n");
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - Array.from(text).length));
}

// Comments are written by strangers: never hand a control character (an ANSI escape that rewrites the screen or
// the window title) to the moderator's terminal. The worker refuses them too; this holds for any data.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

function showable(text: string): string {
  return text.replace(CONTROL, "\uFFFD");
}

function oneLine(value: unknown): string {
  return showable(String(value)).replace(/\s+/g, " ").trim();
}
