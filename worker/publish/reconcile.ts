// Brings into the ledger the submissions KV holds and the ledger lacks, and migrates a v1 namespace. Two sources:
// - the inbox: a submission whose POST could not reach the ledger leaves `v1:inbox:<id>`; every five minutes a cron
//   takes those in (one KV list when the inbox is empty);
// - a walk through every `v1:comment:` key, a bounded number of pages at a time from a saved cursor: the hourly
//   cron's safety net (a worker stopped between the KV write and the ledger call), and the v1 migration
//   (`POST /api/admin/migrate`, `npm run moderate -- migrate`), where each record's status was the truth.
// Both are idempotent: the ledger ignores ids it has seen, live or deleted, so nothing it decided is overridden.
import { callLedger } from "../http/context.ts";
import { hashEmail } from "../intake/ids.ts";
import type { LedgerEntry } from "../ledger/actions.ts";
import { deleteInbox, getCommentEntries, getComments, listCommentPage, listInbox } from "./kv-store.ts";

export interface ScanOutcome {
  scanned: number;
  added: number;
  present: number;
  /** Where to go on from; null when the walk reached the last key. */
  cursor: string | null;
}

/** One page of the KV walk costs 1 list, bulk reads of only the unknown records (1 per 100) and 2 ledger calls. */
export const SCAN_PAGES_PER_CALL = 20;

const autoApprove = (env: Env) => ({ autoApproveReturning: env.AUTO_APPROVE_RETURNING === "true" });

/** Takes in the submissions waiting in the inbox; an inbox key is removed only once the ledger has its record. */
export async function drainInbox(env: Env): Promise<{ added: number }> {
  const ids = await listInbox(env.COMMENTS);
  if (ids.length === 0) return { added: 0 };
  const found = await getCommentEntries(env.COMMENTS, ids);
  // The hash is the key's metadata; a record written before addresses were dropped from records still has its own.
  const entries = await Promise.all(found.map(async ({ record, emailHash }) => ({
    record,
    emailHash: emailHash ?? (record.email ? await hashEmail(record.email, env.IP_HASH_SALT) : null),
  })));
  const { added } = await callLedger(env, (ledger) => ledger.adopt(entries, autoApprove(env)));
  // A record KV does not show yet (a read from another location can lag) keeps its inbox key for the next run.
  for (const { record } of found) await deleteInbox(env.COMMENTS, record.id);
  return { added };
}

/**
 * Walks up to `pages` pages of comment keys from `cursor`, adopting every record the ledger has never seen. `arrival`:
 * treat a pending one as a new submission (the returning-commenter rule applies); the v1 migration keeps records as
 * they were decided.
 */
export async function scanComments(env: Env, cursor: string | null, pages = SCAN_PAGES_PER_CALL, { arrival = true } = {}): Promise<ScanOutcome> {
  const outcome: ScanOutcome = { scanned: 0, added: 0, present: 0, cursor };
  for (let page = 0; page < pages; page++) {
    const listed = await listCommentPage(env.COMMENTS, outcome.cursor);
    outcome.scanned += listed.comments.length;
    const unknown = new Set(await callLedger(env, (ledger) => ledger.unknownIds(listed.comments.map((c) => c.id))));
    const hashes = new Map(listed.comments.map((c) => [c.id, c.e ?? null]));
    const records = await getComments(env.COMMENTS, [...unknown]);
    if (records.length > 0) {
      const entries = records.map((record): LedgerEntry => ({ record, emailHash: hashes.get(record.id) ?? null }));
      const options = arrival ? autoApprove(env) : { autoApproveReturning: false };
      const { added, present } = await callLedger(env, (ledger) => ledger.adopt(entries, options));
      outcome.added += added;
      outcome.present += present;
    }
    outcome.present += listed.comments.length - unknown.size;
    outcome.cursor = listed.cursor;
    if (listed.cursor === null) break;
  }
  return outcome;
}

/**
 * The records KV holds under this email hash (the `e` of their metadata) that the ledger has never seen: a person's
 * erasure tombstones them too, so the walk above can never take them in later. One KV list per 1,000 comments.
 */
export async function unknownRecordsOf(env: Env, emailHash: string): Promise<{ id: string; post: string }[]> {
  const theirs: { id: string; post: string }[] = [];
  let cursor: string | null = null;
  do {
    const listed = await listCommentPage(env.COMMENTS, cursor);
    theirs.push(...listed.comments.filter((c) => c.e === emailHash).map(({ id, post }) => ({ id, post })));
    cursor = listed.cursor;
  } while (cursor !== null);
  if (theirs.length === 0) return [];
  const unknown = new Set(await callLedger(env, (ledger) => ledger.unknownIds(theirs.map((c) => c.id))));
  return theirs.filter((c) => unknown.has(c.id));
}

/** The hourly safety net: the inbox, the next pages of the walk (resuming where the last run stopped), the outbox. */
export async function reconcile(env: Env): Promise<ScanOutcome & { inbox: number }> {
  const { added: inbox } = await drainInbox(env);
  const start = await callLedger(env, (ledger) => ledger.scanCursor());
  const outcome = await scanComments(env, start);
  await callLedger(env, (ledger) => ledger.setScanCursor(outcome.cursor));
  // The alarm works the outbox; this is the safety net should an alarm ever be lost.
  await callLedger(env, (ledger) => ledger.flushOutbox());
  return { ...outcome, inbox };
}
