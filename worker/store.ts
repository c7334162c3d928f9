// The only code that touches KV. The model (versioned keys, so a later layout can live beside this one):
//   v1:comment:<id>      one record per comment (the export format), metadata { post, status, e? } so a list()
//                        gives the moderation queue without a get per comment. The public POST writes only this.
//   v1:thread:<post>     the published thread: public comments, oldest first.
//   v1:counts            { slug: approved count } for the home page.
//   v1:trusted:<hash>    "this email has an approved comment" (AUTO_APPROVE_RETURNING).
//   v1:deploy-hook       { lastCalledAt, pending }: coalesces the site-rebuild requests (deploy-hook.ts).
// Threads, counts and trust keys are derived from the records by moderation actions and rebuilds (publish.ts),
// never patched in place, so a rebuild always repairs them. Any KV failure becomes StoreUnavailableError (503).
import { StoreUnavailableError } from "./errors.ts";
import type { AdminComment, PublicComment } from "./comment.ts";
import type { Status } from "./schema.ts";

export type { AdminComment, PublicComment } from "./comment.ts";

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
const TRUSTED_PREFIX = "v1:trusted:";
const COUNTS_KEY = "v1:counts";
const commentKey = (id: string) => COMMENT_PREFIX + id;
const threadKey = (post: string) => `v1:thread:${post}`;
const trustedKey = (hash: string) => TRUSTED_PREFIX + hash;

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

/** The record with this id, or null. */
export function getComment(ns: KVNamespace, id: string): Promise<AdminComment | null> {
  return kv("get", () => ns.get<AdminComment>(commentKey(id), "json"));
}

export function deleteComment(ns: KVNamespace, id: string): Promise<void> {
  return kv("delete", () => ns.delete(commentKey(id)));
}

/** Every comment's id and metadata, in key order (new ids sort by submission time). */
export async function listComments(ns: KVNamespace): Promise<ListedComment[]> {
  const listed: ListedComment[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await kv("list", () => ns.list<CommentMeta>({ prefix: COMMENT_PREFIX, cursor }));
    for (const key of page.keys) {
      if (key.metadata) listed.push({ id: key.name.slice(COMMENT_PREFIX.length), ...key.metadata });
    }
    if (page.list_complete) return listed;
    cursor = page.cursor;
  }
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

/** A post's published thread: one KV read, cached at the edge. */
export async function readThread(ns: KVNamespace, post: string): Promise<PublicComment[]> {
  return (await kv("get", () => ns.get<PublicComment[]>(threadKey(post), { type: "json", cacheTtl: READ_CACHE_TTL_SECONDS }))) ?? [];
}

/** Several posts' published threads (one KV operation per 100 posts). */
export async function readThreads(ns: KVNamespace, posts: readonly string[]): Promise<Map<string, PublicComment[]>> {
  const threads = new Map<string, PublicComment[]>();
  for (const posts100 of chunk(posts, BULK_GET_MAX)) {
    const found = await kv("get", () => ns.get<PublicComment[]>(posts100.map(threadKey), "json"));
    for (const post of posts100) threads.set(post, found.get(threadKey(post)) ?? []);
  }
  return threads;
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

/** Whether an email (by hash) has an approved comment. */
export async function isTrusted(ns: KVNamespace, emailHash: string): Promise<boolean> {
  return (await kv("get", () => ns.get(trustedKey(emailHash)))) !== null;
}

export function setTrusted(ns: KVNamespace, emailHash: string, trusted: boolean): Promise<void> {
  return kv(trusted ? "put" : "delete", () =>
    trusted ? ns.put(trustedKey(emailHash), "1") : ns.delete(trustedKey(emailHash)),
  );
}

/** Every trusted email hash. */
export async function listTrusted(ns: KVNamespace): Promise<string[]> {
  const hashes: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await kv("list", () => ns.list({ prefix: TRUSTED_PREFIX, cursor }));
    hashes.push(...page.keys.map((key) => key.name.slice(TRUSTED_PREFIX.length)));
    if (page.list_complete) return hashes;
    cursor = page.cursor;
  }
}

const DEPLOY_HOOK_KEY = "v1:deploy-hook";

/** When the site-rebuild hook was last called, and whether a moderation action has happened since. */
export interface DeployHookState {
  lastCalledAt: string | null;
  pending: boolean;
}

export async function readDeployHookState(ns: KVNamespace): Promise<DeployHookState> {
  return (await kv("get", () => ns.get<DeployHookState>(DEPLOY_HOOK_KEY, "json"))) ?? { lastCalledAt: null, pending: false };
}

export function writeDeployHookState(ns: KVNamespace, state: DeployHookState): Promise<void> {
  return kv("put", () => ns.put(DEPLOY_HOOK_KEY, JSON.stringify(state)));
}
