// A Remark42 backup (`remark42 backup`, or the admin's export: a gzip of JSON lines). Line 1 is the site's
// meta `{"version":1,"users":[…],"posts":[…]}`; every later line is one comment: `id`, `pid` (the parent, "" at
// the top), `text` (the HTML readers saw; `orig` is its Markdown source), `user{name,id,ip}`, `locator{site,url}`,
// `time`, `delete` and `title`. Remark42 keeps no email, no website and no pending state: every comment not
// deleted is approved. `user.ip`, `score` and `votes` are never read.
// Time zone: `time` is RFC 3339 as Go writes it, with its offset ("2021-03-01T10:00:00+01:00"), converted to UTC.
import { checkRecord, type ParsedSource, str, strOrNull, toUtc } from "./record.ts";

interface RemarkComment {
  id?: unknown;
  pid?: unknown;
  text?: unknown;
  user?: { name?: unknown; id?: unknown };
  locator?: { url?: unknown };
  time?: unknown;
  delete?: unknown;
  title?: unknown;
}

/** True when the first line is a Remark42 backup's meta line. */
export function isRemark42(text: string): boolean {
  const first = text.slice(0, text.indexOf("\n") === -1 ? text.length : text.indexOf("\n"));
  try {
    const meta = JSON.parse(first) as Record<string, unknown>;
    return meta !== null && typeof meta === "object" && "version" in meta && ("posts" in meta || "users" in meta) && !("comments" in meta);
  } catch {
    return false;
  }
}

export function parseRemark42(text: string): ParsedSource {
  const lines = text.split("\n");
  const meta = JSON.parse(lines[0] ?? "") as { version?: unknown };
  if (meta.version !== 1) throw new Error(`unsupported Remark42 backup version ${JSON.stringify(meta.version)} (this reads version 1)`);
  const records = [];
  for (const [index, line] of lines.entries()) {
    if (index === 0 || line.trim() === "") continue;
    let comment: RemarkComment;
    try {
      comment = JSON.parse(line) as RemarkComment;
    } catch {
      throw new Error(`line ${index + 1} is not JSON (is the backup cut short?)`);
    }
    const url = str(comment.locator?.url);
    records.push(checkRecord({
      source: "remark42",
      sourceId: str(comment.id),
      parentSourceId: strOrNull(comment.pid),
      thread: { key: url, url: url || null, title: strOrNull(comment.title) },
      author: str(comment.user?.name) || str(comment.user?.id),
      email: null,
      emailHash: null,
      website: null,
      createdAt: toUtc(comment.time),
      body: typeof comment.text === "string" ? comment.text : "",
      format: "html",
      status: comment.delete === true ? "deleted" : "approved",
    }, `line ${index + 1}`));
  }
  return { source: "remark42", records, notComments: 0 };
}
