// The only code that touches KV. KV takes the submissions and serves what readers read; the moderation ledger (a
// Durable Object, worker/ledger/ledger.ts) is the truth about every comment's status and the only writer of the
// published keys:
//   v1:comment:<id>      one record per submission, written by the public POST (its own key: safe under any
//                        concurrency), metadata { post, status, e? }. In a v1 namespace (before the ledger) the
//                        record's status was the truth; the migration copies it into the ledger (reconcile.ts).
//                        A delete erases it; an author's edit in the first 15 minutes rewrites it with the new
//                        text (worker/http/routes/author.ts); other moderation leaves it as it was submitted.
//   v1:inbox:<id>        "this submission is in KV but the ledger could not be told": the reconcile takes it in.
//   v1:thread:<post>     the published thread: public comments, oldest first (written by publisher.ts only).
//   v1:counts            { slug: approved count } for the home page (written by publisher.ts only).
// Any KV failure becomes StoreUnavailableError (503).
import { StoreUnavailableError } from "../http/errors.ts";
import type { AdminComment, PublicComment } from "../comment.ts";
import type { Status } from "../intake/schema.ts";

export type { AdminComment, PublicComment } from "../comment.ts";

/** KV metadata of a comment key; `e` is the salted email hash (absent for legacy comments without email). */
export interface CommentMeta {
  post: string;
  status: Status;
  e?: string;
}

export interface ListedComment extends CommentMeta {
  id: string;
}

const COMMENT_PREFIX = "v1:comment:";
const INBOX_PREFIX = "v1:inbox:";
const COUNTS_KEY = "v1:counts";
const commentKey = (id: string) => COMMENT_PREFIX + id;
const threadKey = (post: string) => `v1:thread:${post}`;

/** Edge cache time for published data (KV's minimum is 30 s). */
export const READ_CACHE_TTL_SECONDS = 30;
const BULK_GET_MAX = 100;

async function kv<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    throw new StoreUnavailableError(`KV ${operation} failed`, { cause });
  }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Writes one comment record (its own key: safe under any concurrency). */
export function putComment(ns: KVNamespace, record: AdminComment, emailHash: string | null): Promise<void> {
  const metadata: CommentMeta = { post: record.post, status: record.status, ...(emailHash ? { e: emailHash } : {}) };
  return kv("put", () => ns.put(commentKey(record.id), JSON.stringify(record), { metadata }));
}

export function deleteComment(ns: KVNamespace, id: string): Promise<void> {
  return kv("delete", () => ns.delete(commentKey(id)));
}

/** One page (up to 1,000) of comment keys with their metadata, from `cursor`; `cursor` null when it was the last. */
export async function listCommentPage(ns: KVNamespace, cursor: string | null): Promise<{ comments: ListedComment[]; cursor: string | null }> {
  const page = await kv("list", () => ns.list<CommentMeta>({ prefix: COMMENT_PREFIX, cursor }));
  const comments = page.keys.flatMap((key) => (key.metadata ? [{ id: key.name.slice(COMMENT_PREFIX.length), ...key.metadata }] : []));
  return { comments, cursor: page.list_complete ? null : page.cursor };
}

/** The records with these ids, in the same order, skipping any that no longer exist (bulk gets of 100). */
export async function getComments(ns: KVNamespace, ids: readonly string[]): Promise<AdminComment[]> {
  const records: AdminComment[] = [];
  for (const ids100 of chunk(ids, BULK_GET_MAX)) {
    const found = await kv("get", () => ns.get<AdminComment>(ids100.map(commentKey), "json"));
    for (const id of ids100) {
      const record = found.get(commentKey(id));
      if (record) records.push(record);
    }
  }
  return records;
}

/**
 * The records with these ids and the email hash of each key's metadata (records keep no address), skipping any that
 * no longer exist (bulk reads of 100, as getComments).
 */
export async function getCommentEntries(ns: KVNamespace, ids: readonly string[]): Promise<{ record: AdminComment; emailHash: string | null }[]> {
  const entries: { record: AdminComment; emailHash: string | null }[] = [];
  for (const ids100 of chunk(ids, BULK_GET_MAX)) {
    const found = await kv("get", () => ns.getWithMetadata<AdminComment, CommentMeta>(ids100.map(commentKey), "json"));
    for (const id of ids100) {
      const got = found.get(commentKey(id));
      if (got?.value) entries.push({ record: got.value, emailHash: got.metadata?.e ?? null });
    }
  }
  return entries;
}

/** A post's published thread: one KV read, cached at the edge. */
export async function readThread(ns: KVNamespace, post: string): Promise<PublicComment[]> {
  return (await kv("get", () => ns.get<PublicComment[]>(threadKey(post), { type: "json", cacheTtl: READ_CACHE_TTL_SECONDS }))) ?? [];
}

export function writeThread(ns: KVNamespace, post: string, thread: readonly PublicComment[]): Promise<void> {
  return kv("put", () => ns.put(threadKey(post), JSON.stringify(thread)));
}

/** Approved counts by post: one KV read, cached at the edge. */
export async function readCounts(ns: KVNamespace): Promise<Record<string, number>> {
  return (await kv("get", () => ns.get<Record<string, number>>(COUNTS_KEY, { type: "json", cacheTtl: READ_CACHE_TTL_SECONDS }))) ?? {};
}

export function writeCounts(ns: KVNamespace, counts: Record<string, number>): Promise<void> {
  return kv("put", () => ns.put(COUNTS_KEY, JSON.stringify(counts)));
}

/** Notes a submission the ledger has not taken in yet (its own key, like the record). */
export function putInbox(ns: KVNamespace, id: string): Promise<void> {
  return kv("put", () => ns.put(INBOX_PREFIX + id, "1"));
}

/** Up to 1,000 ids waiting in the inbox. */
export async function listInbox(ns: KVNamespace): Promise<string[]> {
  const page = await kv("list", () => ns.list({ prefix: INBOX_PREFIX }));
  return page.keys.map((key) => key.name.slice(INBOX_PREFIX.length));
}

export function deleteInbox(ns: KVNamespace, id: string): Promise<void> {
  return kv("delete", () => ns.delete(INBOX_PREFIX + id));
}
