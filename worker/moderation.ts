// Moderation actions and how they reach readers. Each action changes a record, then re-derives the post's
// published thread and the counts from the records (publishPost), trusting the change it just made over what
// KV may still return: KV is eventually consistent, so a read right after a write can be stale.
// Order matters for faults: a thread only ever grows after its records do and shrinks before they do, so a
// failure half-way (answered 503; every action is safe to retry) never publishes something unapproved.
// rebuildAll is the repair: it derives everything from the records again, and the hourly cron runs it.
import type { Moderation } from "./context.ts";
import { invalidFields } from "./errors.ts";
import { deriveImportId } from "./ids.ts";
import type { FieldErrors, ImportItem, Status } from "./schema.ts";
import type { AdminComment, ListedComment } from "./store.ts";
import * as store from "./store.ts";
import { buildThread, compareByCreated } from "./thread.ts";

export interface PublishChange {
  /** The record as it now is (it may not be visible in KV yet). */
  record?: AdminComment;
  /** A record being deleted (it may still be visible in KV). */
  deletedId?: string;
}

/** The ids of each known post's approved comments, from the list's metadata in one pass: no record is read. */
function approvedIdsByPost(listed: readonly ListedComment[], known: readonly string[]): Map<string, string[]> {
  const byPost = new Map(known.map((slug) => [slug, [] as string[]]));
  for (const c of listed) if (c.status === "approved") byPost.get(c.post)?.push(c.id);
  return byPost;
}

/** Each post's count of approved comments. */
function countsOf(byPost: ReadonlyMap<string, readonly string[]>): Record<string, number> {
  return Object.fromEntries([...byPost].map(([slug, ids]) => [slug, ids.length]));
}

/**
 * Re-derives one post's thread from its records and rewrites the counts; returns the comment list it read, for
 * reuse. Costs one list, the post's approved records (bulk reads of 100) and two writes, whatever the number
 * of posts: the other posts' counts come from the list's metadata.
 */
export async function publishPost(m: Moderation, post: string, change: PublishChange = {}): Promise<ListedComment[]> {
  const listed = await store.listComments(m.ns);
  const known = m.posts.map((p) => p.slug);
  const byPost = approvedIdsByPost(listed, known);
  const ids = new Set(byPost.get(post));
  if (change.deletedId) ids.delete(change.deletedId);
  const fresh = change.record?.post === post ? change.record : undefined;
  if (fresh) ids.delete(fresh.id);
  const records = await store.getComments(m.ns, [...ids]);
  if (fresh) records.push(fresh);

  const thread = buildThread(records, post);
  const counts = countsOf(byPost);
  if (byPost.has(post)) {
    await store.writeThread(m.ns, post, thread);
    counts[post] = thread.length;
  }
  await store.writeCounts(m.ns, counts);
  return listed;
}

/** Approves or rejects a comment and publishes the change; null when the id is unknown. */
export async function setStatus(m: Moderation, id: string, status: "approved" | "rejected", now = new Date()): Promise<AdminComment | null> {
  const record = await store.getComment(m.ns, id);
  if (!record) return null;
  const updated: AdminComment = { ...record, status, moderatedAt: now.toISOString() };
  const emailHash = record.email ? await m.hashEmail(record.email) : null;
  if (status === "approved") {
    await store.putComment(m.ns, updated, emailHash);
    await publishPost(m, record.post, { record: updated });
    if (emailHash) await store.setTrusted(m.ns, emailHash, true);
  } else {
    const listed = await publishPost(m, record.post, { record: updated });
    await store.putComment(m.ns, updated, emailHash);
    if (emailHash) await refreshTrust(m, listed, emailHash, id);
  }
  return updated;
}

/** Deletes a comment for good, unpublishing it first; returns the deleted record, or null when unknown. */
export async function deleteComment(m: Moderation, id: string): Promise<AdminComment | null> {
  const record = await store.getComment(m.ns, id);
  if (!record) return null;
  const listed = await publishPost(m, record.post, { deletedId: id });
  // Trust before the record: if either write fails the record is still there, so the retry finishes the job (a retry
  // after the record was gone would answer 404 and leave the email trusted until the next rebuild).
  if (record.email) await refreshTrust(m, listed, await m.hashEmail(record.email), id);
  await store.deleteComment(m.ns, id);
  return record;
}

/** An email stays trusted while another of its comments is approved. */
async function refreshTrust(m: Moderation, listed: ListedComment[], emailHash: string, changedId: string): Promise<void> {
  if (!listed.some((c) => c.e === emailHash && c.status === "approved" && c.id !== changedId)) {
    await store.setTrusted(m.ns, emailHash, false);
  }
}

/** Every record, oldest first: the export (and the import format). */
export async function exportComments(m: Moderation): Promise<AdminComment[]> {
  const listed = await store.listComments(m.ns);
  return (await store.getComments(m.ns, listed.map((c) => c.id))).sort(compareByCreated);
}

/** The moderation queue: records filtered by status and post, oldest first. */
export async function listQueue(m: Moderation, filter: { status?: Status; post?: string }): Promise<AdminComment[]> {
  const listed = (await store.listComments(m.ns)).filter(
    (c) => (!filter.status || c.status === filter.status) && (!filter.post || c.post === filter.post),
  );
  const records = await store.getComments(m.ns, listed.map((c) => c.id));
  // Metadata can lag the record by a moment; the record is the truth.
  return records.filter((r) => !filter.status || r.status === filter.status).sort(compareByCreated);
}

/**
 * Imports comments (legacy or a backup). Idempotent: an id already stored is skipped, and an entry without an
 * id gets one derived from its content. Imported entries keep a given status, else they are approved.
 * All-or-nothing: any unknown post or parent fails the whole batch with every problem named.
 */
export async function importComments(m: Moderation, items: ImportItem[], now = new Date()): Promise<{ imported: number; skipped: number }> {
  const existing = new Map((await store.listComments(m.ns)).map((c) => [c.id, c.post]));
  const batch = new Map<string, AdminComment>();
  const errors: FieldErrors = {};
  let skipped = 0;
  for (const [index, item] of items.entries()) {
    const id = item.id ?? (await deriveImportId(item.post, item.author, item.createdAt, item.body));
    if (!m.posts.some((p) => p.slug === item.post)) errors[`${index}.post`] = `There is no post "${item.post}".`;
    if (existing.has(id) || batch.has(id)) {
      skipped++;
      continue;
    }
    const moderatedAt = item.status === "pending" ? null : (item.moderatedAt ?? now.toISOString());
    batch.set(id, { ...item, id, moderatedAt });
  }
  for (const [index, item] of items.entries()) {
    if (item.parentId === null) continue;
    const parentPost = batch.get(item.parentId)?.post ?? existing.get(item.parentId);
    if (parentPost !== item.post) errors[`${index}.parentId`] = `Comment ${item.parentId} is not on post "${item.post}".`;
  }
  if (Object.keys(errors).length > 0) throw invalidFields(errors, "Nothing was imported: some entries need correcting.");

  const records = [...batch.values()];
  for (let i = 0; i < records.length; i += 50) {
    await Promise.all(
      records.slice(i, i + 50).map(async (r) => store.putComment(m.ns, r, r.email ? await m.hashEmail(r.email) : null)),
    );
  }
  // Even when every entry was already stored: a retry after a failure half-way (records written, rebuild not run)
  // must still publish them.
  if (items.length > 0) await rebuildAll(m);
  return { imported: records.length, skipped };
}

/**
 * Derives every published thread, the counts and the trusted emails from the records again, writing only what
 * differs: the repair for anything a race or an outage left behind. A post whose published ids already match
 * the approved ids in the list is left alone without reading its records (records never change after they
 * are written, except their status), unless `force` asks for every thread to be re-derived from its records.
 * Trusted emails come from the list's salted hashes, or, forced, from the records' emails hashed anew (which
 * also heals a changed IP_HASH_SALT). The hourly cron runs it unforced; `POST /api/admin/rebuild` forces it.
 */
export async function rebuildAll(m: Moderation, { force = false } = {}): Promise<{ posts: number; comments: number; written: number }> {
  const listed = await store.listComments(m.ns);
  const known = m.posts.map((p) => p.slug);
  const current = await store.readThreads(m.ns, known);
  const byPost = approvedIdsByPost(listed, known);
  const counts = countsOf(byPost);
  const approvedRecords: AdminComment[] = [];
  let written = 0;
  for (const slug of known) {
    const published = (current.get(slug) ?? []).map((c) => c.id);
    const approved = byPost.get(slug) ?? [];
    if (!force && sameIds(published, approved)) continue;
    // Both sets: the list's metadata may lag a record's status, and the record decides.
    const records = await store.getComments(m.ns, [...new Set([...published, ...approved])]);
    approvedRecords.push(...records.filter((r) => r.status === "approved"));
    const thread = buildThread(records, slug);
    counts[slug] = thread.length;
    if (JSON.stringify(thread) !== JSON.stringify(current.get(slug) ?? [])) {
      await store.writeThread(m.ns, slug, thread);
      written++;
    }
  }
  if (JSON.stringify(counts) !== JSON.stringify(await store.readCounts(m.ns))) {
    await store.writeCounts(m.ns, counts);
    written++;
  }
  const shouldTrust = new Set(
    force
      ? await Promise.all(approvedRecords.filter((r) => r.email !== null).map((r) => m.hashEmail(r.email!)))
      : listed.filter((c) => c.status === "approved" && c.e).map((c) => c.e!),
  );
  const trusted = new Set(await store.listTrusted(m.ns));
  for (const hash of shouldTrust) if (!trusted.has(hash)) await store.setTrusted(m.ns, hash, true);
  for (const hash of trusted) if (!shouldTrust.has(hash)) await store.setTrusted(m.ns, hash, false);
  return { posts: known.length, comments: Object.values(counts).reduce((a, b) => a + b, 0), written };
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((id) => set.has(id));
}
