// The one pipeline every source goes through, before anything is sent: threads mapped to posts, each comment's id
// derived from (source, source id) so a re-run adds nothing, parents resolved in a second pass so file order never
// matters, a placeholder kept where a reply's parent is gone, every entry checked against the worker's own import
// schema, and the result ordered parents first. Pure: the caller says which posts exist.
import { createHash } from "node:crypto";
import * as v from "valibot";
import { ImportItemSchema } from "../../../worker/intake/schema.ts";
import type { ImportComment } from "../api.ts";
import { CONTROL, htmlToText } from "../html-text.ts";
import type { ImportRecord, ParsedSource, SourceStatus } from "./record.ts";
import { type MapRule, threadSlugs } from "./url-map.ts";

/** What a placeholder shows readers in place of a parent that is gone, as WordPress and Reddit do. */
export const PLACEHOLDER_TEXT = "[deleted]";
const AUTHOR_MAX = 100;
const EMAIL_MAX = 254;
const WEBSITE_MAX = 200;
// The WHATWG rule for <input type="email">, which the worker also applies.
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

export interface UnmappedThread {
  key: string;
  url: string | null;
  comments: number;
}

export interface Orphan {
  /** Our id of the reply. */
  id: string;
  /** The parent's id in the source, and why it is not there. */
  parent: string;
  reason: "missing" | "deleted" | "spam" | "on another thread";
}

export interface ImportPlan {
  source: ParsedSource["source"];
  /** What will be sent, parents before their replies. */
  comments: ImportComment[];
  /** Comments in the file by the status their source gave them. */
  byStatus: Record<SourceStatus, number>;
  /** Entries whose (source, id) came earlier in the same file. */
  duplicatesInFile: number;
  /** Pingbacks and trackbacks, and comments with no text left. */
  notComments: number;
  empty: number;
  unmapped: UnmappedThread[];
  orphans: Orphan[];
  placeholders: number;
  /** The oldest and newest comment in the file. */
  dateRange: { first: string; last: string } | null;
  /** Entries the worker would refuse, each naming the comment; nothing is sent while there is one. */
  problems: string[];
}

/** Every slug the file's threads could map to: the caller asks which of them are posts. */
export function candidateSlugs(parsed: ParsedSource, rules: readonly MapRule[]): Set<string> {
  return new Set(parsed.records.flatMap((record) => threadSlugs(record.thread, rules).slugs));
}

/** Our id for a comment: `wp-<id>` for WordPress (as earlier imports made them), else a hash of source and id. */
export function importId(source: ImportRecord["source"], sourceId: string, ...more: string[]): string {
  if (source === "wordpress" && more.length === 0 && /^\d{1,60}$/.test(sourceId)) return `wp-${sourceId}`;
  const digest = createHash("sha256").update(JSON.stringify([source, sourceId, ...more])).digest("base64url");
  return `${source}-${digest.slice(0, 32)}`;
}

export function planImport(parsed: ParsedSource, rules: readonly MapRule[], posts: ReadonlySet<string>): ImportPlan {
  const plan: ImportPlan = {
    source: parsed.source, comments: [], byStatus: { approved: 0, pending: 0, spam: 0, deleted: 0 }, duplicatesInFile: 0,
    notComments: parsed.notComments, empty: 0, unmapped: [], orphans: [], placeholders: 0, dateRange: null, problems: [],
  };
  const bySourceId = new Map<string, ImportRecord>();
  for (const record of parsed.records) {
    if (bySourceId.has(record.sourceId)) plan.duplicatesInFile++;
    else bySourceId.set(record.sourceId, record);
  }
  const records = [...bySourceId.values()];
  const times = records.map((r) => r.createdAt).sort();
  if (times.length > 0) plan.dateRange = { first: times[0]!, last: times.at(-1)! };

  const unmapped = new Map<string, UnmappedThread>();
  const postOf = new Map<string, string>();
  for (const record of records) {
    plan.byStatus[record.status]++;
    const post = threadSlugs(record.thread, rules).slugs.find((slug) => posts.has(slug));
    if (post) postOf.set(record.sourceId, post);
    else if (record.status === "approved" || record.status === "pending") {
      const key = record.thread.url ?? record.thread.key;
      const thread = unmapped.get(key) ?? { key: record.thread.key, url: record.thread.url, comments: 0 };
      thread.comments++;
      unmapped.set(key, thread);
    }
  }
  plan.unmapped = [...unmapped.values()];

  const live = new Map<string, ImportComment>();
  for (const record of records) {
    const post = postOf.get(record.sourceId);
    if (!post || (record.status !== "approved" && record.status !== "pending")) continue;
    const comment = toComment(record, post);
    if (comment) live.set(record.sourceId, comment);
    else plan.empty++;
  }

  // The second pass: parents, now that every comment is known. A parent that is gone gets one placeholder per post.
  const placeholders = new Map<string, ImportComment>();
  const placeholderFor = (record: ImportRecord, parentSourceId: string, post: string, seen: Set<string>): string => {
    const id = importId(record.source, parentSourceId, "placeholder", post);
    if (!placeholders.has(id)) {
      const gone = bySourceId.get(parentSourceId);
      const holder: ImportComment = {
        id, post, parentId: null, author: PLACEHOLDER_TEXT, email: null, website: null, body: PLACEHOLDER_TEXT,
        createdAt: gone?.createdAt ?? record.createdAt, status: "pending", format: "markdown",
      };
      placeholders.set(id, holder);
      if (gone) holder.parentId = parentIdOf(gone, post, seen);
    }
    return id;
  };
  const parentIdOf = (record: ImportRecord, post: string, seen: Set<string>): string | null => {
    const parentSourceId = record.parentSourceId;
    if (parentSourceId === null || parentSourceId === record.sourceId || seen.has(parentSourceId)) return null;
    seen.add(parentSourceId);
    const parent = live.get(parentSourceId);
    if (parent && parent.post === post) return parent.id!;
    return placeholderFor(record, parentSourceId, post, seen);
  };
  for (const record of records) {
    const comment = live.get(record.sourceId);
    if (!comment) continue;
    comment.parentId = parentIdOf(record, comment.post, new Set([record.sourceId]));
    if (comment.parentId !== null && placeholders.has(comment.parentId)) {
      const parent = bySourceId.get(record.parentSourceId!);
      const reason = !parent ? "missing" : parent.status === "spam" ? "spam" : parent.status === "deleted" ? "deleted" : "on another thread";
      plan.orphans.push({ id: comment.id!, parent: record.parentSourceId!, reason });
    }
  }
  const all = [...live.values(), ...placeholders.values()];
  // A placeholder is public when something public hangs under it; a placeholder over pending replies only waits too.
  const byId = new Map(all.map((c) => [c.id!, c]));
  for (const comment of live.values()) {
    if (comment.status !== "approved") continue;
    for (let up = comment.parentId ? byId.get(comment.parentId) : undefined; up && placeholders.has(up.id!); up = up.parentId ? byId.get(up.parentId) : undefined) {
      up.status = "approved";
    }
  }
  plan.placeholders = placeholders.size;
  plan.comments = parentsFirst(all, byId);
  for (const comment of plan.comments) {
    const result = v.safeParse(ImportItemSchema, comment);
    if (!result.success) {
      const issue = result.issues[0];
      plan.problems.push(`comment ${comment.id} on ${comment.post}: ${issue.path?.map((p) => String(p.key)).join(".") ?? "entry"}: ${issue.message}`);
    }
  }
  return plan;
}

// The record in the import format, with legacy data the worker would refuse repaired where nothing is lost (a
// malformed email or website becomes null, a long name is cut). Null when no text is left.
function toComment(record: ImportRecord, post: string): ImportComment | null {
  const body = record.body.replace(/\r\n?/g, "\n").replace(CONTROL, "").trim();
  // An HTML body of empty tags shows readers nothing: no text, not a comment.
  if (body === "" || (record.format === "html" && htmlToText(body) === "")) return null;
  const author = record.author.replace(CONTROL, "").replace(/<\/?[A-Za-z][^>]*>/g, "").replace(/\s+/g, " ").trim();
  const email = record.email && EMAIL.test(record.email) && record.email.length <= EMAIL_MAX ? record.email : null;
  return {
    id: importId(record.source, record.sourceId),
    post,
    parentId: null,
    author: clip(author || "Anonymous", AUTHOR_MAX),
    email,
    website: toWebsite(record.website),
    body,
    createdAt: record.createdAt,
    status: record.status === "pending" ? "pending" : "approved",
    format: record.format,
    ...(record.byBlog ? { byBlog: true } : {}),
  };
}

// Oldest first, each parent before its replies (a cycle in the file is cut: its first comment goes top level).
function parentsFirst(comments: readonly ImportComment[], byId: ReadonlyMap<string, ImportComment>): ImportComment[] {
  const ordered: ImportComment[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (comment: ImportComment): void => {
    const id = comment.id!;
    if (state.get(id) === "done") return;
    state.set(id, "visiting");
    const parent = comment.parentId ? byId.get(comment.parentId) : undefined;
    if (parent && state.get(parent.id!) === "visiting") comment.parentId = null;
    else if (parent) visit(parent);
    state.set(id, "done");
    ordered.push(comment);
  };
  const byTime = (a: ImportComment, b: ImportComment) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id! < b.id! ? -1 : a.id! > b.id! ? 1 : 0);
  for (const comment of [...comments].sort(byTime)) visit(comment);
  return ordered;
}

function toWebsite(url: string | null): string | null {
  // As the worker's rule: literally http:// or https://, no backslash (URL parsers read "http:x" and "\\" loosely).
  if (!url || url.length > WEBSITE_MAX || !/^https?:\/\//i.test(url) || url.includes("\\") || /\s/.test(url)) return null;
  return URL.canParse(url) && new URL(url).hostname !== "" ? url : null;
}

// Cuts to `max` UTF-16 units (the worker's measure) without splitting a character.
function clip(value: string, max: number): string {
  let clipped = "";
  for (const char of value) {
    if (clipped.length + char.length > max) break;
    clipped += char;
  }
  return clipped;
}
