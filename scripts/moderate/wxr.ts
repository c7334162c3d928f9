// Turns a WordPress export (WXR, the RSS file Tools → Export writes) into the comment import format:
// approved `wp:comment` entries become comments on the post whose slug is the item's `wp:post_name`; pending,
// spam, trashed entries and pingbacks are skipped and counted. Ids are `wp-<comment_id>`, so importing the same
// file twice stores each comment once. The format is what WordPress's wp-admin/includes/export.php writes.
// A comment's HTML is imported as WordPress stored it, with `format: "html"`: the worker renders WordPress's
// comment tags onto the same tree as Markdown comments (worker/render/wp-html.ts), so lists, quotes and
// emphasis survive, and moderators still see the source. The post author's own replies (WordPress's
// "bypostauthor") are imported with `byBlog`, so they carry the Author badge.
import { XMLParser } from "fast-xml-parser";
import type { ImportComment } from "./api.ts";
import { CONTROL, decodeEntities, htmlToText, stripTags } from "./html-text.ts";

/** How many entries were left out, by reason. */
export interface WxrSkipped {
  pending: number;
  spam: number;
  trash: number;
  /** Pingbacks and trackbacks: notices from other sites, not comments. */
  pingbacks: number;
  /** No usable date, id or text. */
  invalid: number;
  /** Longer than the worker accepts (BODY_MAX): the worker would refuse the whole batch. */
  tooLong: number;
}

export interface WxrImport {
  comments: ImportComment[];
  skipped: WxrSkipped;
}

interface WxrComment {
  "wp:comment_id"?: string;
  "wp:comment_author"?: string;
  "wp:comment_author_email"?: string;
  "wp:comment_author_url"?: string;
  "wp:comment_date"?: string;
  "wp:comment_date_gmt"?: string;
  "wp:comment_content"?: string;
  "wp:comment_approved"?: string;
  "wp:comment_type"?: string;
  "wp:comment_parent"?: string;
  "wp:comment_user_id"?: string;
}

interface WxrItem {
  "wp:post_name"?: string;
  "dc:creator"?: string;
  "wp:comment"?: WxrComment[];
}

interface WxrAuthor {
  "wp:author_id"?: string;
  "wp:author_login"?: string;
}

// The worker's limits (worker/intake/schema.ts). Legacy data that breaks them is repaired where nothing is lost (a
// malformed email becomes null) and skipped and counted where it would be (a comment too long to store).
const AUTHOR_MAX = 100;
const WEBSITE_MAX = 200;
const EMAIL_MAX = 254;
const BODY_MAX = 5000;
// The WHATWG rule for <input type="email">, which the worker also applies.
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const WXR_NAMESPACE = "wordpress.org/export/";

/** True when `text` looks like a WordPress export rather than JSON. */
export function isWxr(text: string): boolean {
  const start = text.replace(/^\uFEFF/, "").trimStart();
  return start.startsWith("<") && /<rss\b/.test(start) && start.includes(WXR_NAMESPACE);
}

/** Parses a WXR document into import-ready comments (parents before their replies) and skip counts. */
export function parseWxr(xml: string): WxrImport {
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (name) => name === "item" || name === "wp:comment" || name === "wp:author",
  });
  const doc = parser.parse(xml) as { rss?: { channel?: { item?: WxrItem[]; "wp:author"?: WxrAuthor[] } } };
  if (!doc.rss?.channel) throw new Error("not a WordPress export: no <rss><channel>");
  // WordPress names a post's author by login (dc:creator) and a comment's by user id: the list joins them.
  const userIds = new Map((doc.rss.channel["wp:author"] ?? []).map((a) => [text(a["wp:author_login"]), text(a["wp:author_id"])]));

  const skipped: WxrSkipped = { pending: 0, spam: 0, trash: 0, pingbacks: 0, invalid: 0, tooLong: 0 };
  const comments: ImportComment[] = [];
  for (const item of doc.rss.channel.item ?? []) {
    const post = text(item["wp:post_name"]);
    const postAuthorId = userIds.get(text(item["dc:creator"])) ?? "";
    const approved = new Map<string, ImportComment>();
    const parentOf = new Map<string, string>();
    for (const entry of item["wp:comment"] ?? []) {
      const wpId = text(entry["wp:comment_id"]);
      parentOf.set(wpId, text(entry["wp:comment_parent"]));
      const status = text(entry["wp:comment_approved"]);
      if (status === "0") skipped.pending++;
      else if (status === "spam") skipped.spam++;
      else if (status !== "1") skipped.trash++;
      else if (!["", "comment"].includes(text(entry["wp:comment_type"]))) skipped.pingbacks++;
      else {
        const comment = toComment(entry, post, postAuthorId);
        if (!comment) skipped.invalid++;
        else if (comment.body.length > BODY_MAX) skipped.tooLong++;
        else approved.set(wpId, comment);
      }
    }
    comments.push(...orderThread(approved, parentOf));
  }
  return { comments, skipped };
}

function toComment(entry: WxrComment, post: string, postAuthorId: string): ImportComment | null {
  const wpId = text(entry["wp:comment_id"]);
  const createdAt = toIso(text(entry["wp:comment_date_gmt"])) ?? toIso(text(entry["wp:comment_date"]));
  // As stored, less what the worker refuses (control characters, CR), so the worker stores exactly this.
  const body = text(entry["wp:comment_content"]).replace(/\r\n?/g, "\n").replace(CONTROL, "").trim();
  if (!/^\d+$/.test(wpId) || !post || !createdAt || !htmlToText(body)) return null;
  const userId = text(entry["wp:comment_user_id"]);
  const author = decodeEntities(stripTags(text(entry["wp:comment_author"]))).replace(CONTROL, "").replace(/\s+/g, " ").trim();
  const email = text(entry["wp:comment_author_email"]);
  return {
    id: `wp-${wpId}`,
    post,
    parentId: null,
    author: clip(author || "Anonymous", AUTHOR_MAX),
    email: EMAIL.test(email) && email.length <= EMAIL_MAX ? email : null,
    website: toWebsite(text(entry["wp:comment_author_url"])),
    body,
    createdAt,
    format: "html",
    ...(userId !== "" && userId !== "0" && userId === postAuthorId ? { byBlog: true } : {}),
  };
}

// Points each reply at its nearest imported ancestor (a reply to a spam or pending comment becomes a reply to
// that comment's parent, or top level, as WordPress shows orphans) and emits parents before replies, oldest first.
function orderThread(approved: Map<string, ImportComment>, parentOf: Map<string, string>): ImportComment[] {
  for (const [wpId, comment] of approved) {
    const seen = new Set([wpId]);
    let parent = parentOf.get(wpId) ?? "0";
    while (parent !== "0" && parent !== "" && !approved.has(parent) && !seen.has(parent)) {
      seen.add(parent);
      parent = parentOf.get(parent) ?? "0";
    }
    comment.parentId = approved.has(parent) && !seen.has(parent) ? `wp-${parent}` : null;
  }
  const byDate = [...approved.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const ordered: ImportComment[] = [];
  const emitted = new Set<string>();
  const emit = (comment: ImportComment, depth: number): void => {
    if (emitted.has(comment.id ?? "") || depth > approved.size) return;
    const parent = comment.parentId ? approved.get(comment.parentId.slice(3)) : undefined;
    if (parent) emit(parent, depth + 1);
    emitted.add(comment.id ?? "");
    ordered.push(comment);
  };
  for (const comment of byDate) emit(comment, 0);
  return ordered;
}

// WordPress writes "YYYY-MM-DD HH:MM:SS" and "0000-00-00 00:00:00" when it has no GMT date.
function toIso(date: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(date);
  if (!match || match[1] === "0000") return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const time = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function toWebsite(url: string): string | null {
  // As the worker's rule: literally http:// or https://, no backslash (URL parsers read "http:x" and "\\" loosely).
  if (!url || url.length > WEBSITE_MAX || !/^https?:\/\//i.test(url) || url.includes("\\")) return null;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.hostname !== "" && !/\s/.test(url) ? url : null;
  } catch {
    return null;
  }
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

function text(value: unknown): string {
  return typeof value === "string" ? value.trim() : typeof value === "number" ? String(value) : "";
}
