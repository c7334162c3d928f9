// Pure derivations from comment records to what readers see. No KV here: publish and rebuild
// (worker/ledger/moderation.ts) call these with records they read, so the published data is always a function of the
// records.
import { renderContent } from "../render/content.ts";
import { hashText } from "./hash.ts";
import type { AdminComment, PublicComment } from "../comment.ts";

/**
 * The reader-facing fields of a record: never email, status, moderation time or anything about the client. The
 * text is rendered here, once per publication, to the allow-listed tree readers see (`content`); `body` stays the
 * text as written, for the thread's other readers (JSON-LD, feeds, older scripts).
 */
export function toPublicComment(record: AdminComment): PublicComment {
  const { id, parentId, author, website, body, createdAt } = record;
  const revision = textRevision(body);
  return { id, parentId, author, website, body, content: renderContent(body, record.format), createdAt, revision, ...(record.byBlog ? { byBlog: true } : {}) };
}

/** The revision readers' pages compare: a hash of the text, so it changes with every edit (an author's or a moderator's). */
export function textRevision(body: string): string {
  return hashText(body);
}

/** A published comment with its content tree and revision: threads published before there were any get them on read. */
export function withContent(comment: PublicComment): PublicComment {
  if (comment.content && comment.revision) return comment;
  return { ...comment, content: comment.content ?? renderContent(comment.body), revision: comment.revision ?? textRevision(comment.body) };
}

/** Oldest first; ties broken by id so the order is stable. */
export function compareByCreated(a: AdminComment, b: AdminComment): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * A post's published thread: its approved comments, oldest first. A reply whose parent is not published
 * (rejected or deleted later) is shown at the top level rather than pointing at a comment readers can't see.
 */
export function buildThread(records: readonly AdminComment[], post: string): PublicComment[] {
  const approved = records.filter((r) => r.post === post && r.status === "approved").sort(compareByCreated);
  const published = new Set(approved.map((r) => r.id));
  return approved.map((r) =>
    toPublicComment({ ...r, parentId: r.parentId !== null && published.has(r.parentId) ? r.parentId : null }),
  );
}
