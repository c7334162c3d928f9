// The mail tables in the ledger's SQLite: who asked to hear about replies, and the mail outbox, which is also the
// delivery log /admin shows. They live beside the comments so that queueing a reply notification is part of the
// same transaction as the approval that causes it, and keyed so that approving again never queues again.
//
// Addresses are kept only sealed (address-seal.ts) and only in `mail_subscribers`; every lookup is by the salted
// email hash. Every method is synchronous (one atomic step of the Durable Object), like ledger.ts.
import { createTables } from "../ledger/outbox.ts";
import type { DeliveryLine, DeliveryState, MailKind, PersonSubscription } from "../desk-shapes.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS mail_subscribers (
  email_hash TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  address TEXT,
  confirm_token TEXT,
  unsubscribe_token TEXT NOT NULL,
  confirm_sent_at INTEGER,
  confirmed_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS mail_subscribers_by_unsubscribe ON mail_subscribers (unsubscribe_token);
CREATE INDEX IF NOT EXISTS mail_subscribers_by_confirm ON mail_subscribers (confirm_token);
CREATE TABLE IF NOT EXISTS mail_watches (comment_id TEXT PRIMARY KEY, email_hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS mail_watches_by_email ON mail_watches (email_hash);
CREATE TABLE IF NOT EXISTS mail_outbox (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  email_hash TEXT NOT NULL,
  comment_id TEXT,
  state TEXT NOT NULL,
  not_before INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  message_id TEXT,
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS mail_outbox_due ON mail_outbox (state, not_before);
CREATE INDEX IF NOT EXISTS mail_outbox_by_email ON mail_outbox (email_hash, state, updated_at);
CREATE INDEX IF NOT EXISTS mail_outbox_log ON mail_outbox (updated_at, id);
`;

/** A subscriber's state: `pending` until the confirmation link's POST, then `confirmed` until they unsubscribe. */
export type SubscriberState = "pending" | "confirmed" | "unsubscribed";
export type { DeliveryState, MailKind };

export interface Subscriber {
  emailHash: string;
  state: SubscriberState;
  /** The sealed address (null once unsubscribed). */
  address: string | null;
  confirmToken: string | null;
  unsubscribeToken: string;
  confirmSentAt: number | null;
}

export interface OutboxMail {
  id: string;
  kind: MailKind;
  emailHash: string;
  /** The reply a notification is about. */
  commentId: string | null;
  attempts: number;
}

/** One line of the delivery log (never an address: the hash's first characters name the recipient). */
export type DeliveryLogEntry = DeliveryLine;

/** How long a claim on a mail being sent lasts: a pass that dies mid-send leaves it to be retried after this. */
export const SEND_LEASE_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

type Row = Record<string, SqlStorageValue>;

/** A random opaque token (256 bits, base64url): confirmation and unsubscribe links. */
export function createMailToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export class MailStore {
  readonly #sql: SqlStorage;
  readonly #transaction: <T>(closure: () => T) => T;

  constructor(sql: SqlStorage, transaction: <T>(closure: () => T) => T) {
    this.#sql = sql;
    this.#transaction = transaction;
    createTables(sql, SCHEMA);
  }

  #rows<T extends Row>(query: string, ...bindings: unknown[]): T[] {
    return this.#sql.exec<T>(query, ...bindings).toArray();
  }

  subscriber(emailHash: string): Subscriber | null {
    const row = this.#rows<{ email_hash: string; state: string; address: string | null; confirm_token: string | null; unsubscribe_token: string; confirm_sent_at: number | null }>(
      "SELECT email_hash, state, address, confirm_token, unsubscribe_token, confirm_sent_at FROM mail_subscribers WHERE email_hash = ?",
      emailHash,
    )[0];
    return row
      ? { emailHash: row.email_hash, state: row.state as SubscriberState, address: row.address, confirmToken: row.confirm_token, unsubscribeToken: row.unsubscribe_token, confirmSentAt: row.confirm_sent_at }
      : null;
  }

  /**
   * A reader asked to hear about replies to comment `commentId`. A new (or unsubscribed) address becomes a pending
   * subscriber and is sent a confirmation, at most one a day; a confirmed one stays confirmed. Returns whether a
   * mail was queued.
   */
  watch(commentId: string, emailHash: string, sealedAddress: string, now: number): boolean {
    return this.#transaction(() => {
      this.#sql.exec("INSERT OR REPLACE INTO mail_watches (comment_id, email_hash) VALUES (?, ?)", commentId, emailHash);
      const known = this.subscriber(emailHash);
      if (known?.state === "confirmed") return false;
      if (!known || known.state === "unsubscribed") {
        this.#sql.exec(
          `INSERT INTO mail_subscribers (email_hash, state, address, confirm_token, unsubscribe_token, confirm_sent_at, confirmed_at, created_at)
           VALUES (?, 'pending', ?, ?, ?, ?, NULL, ?)
           ON CONFLICT (email_hash) DO UPDATE SET state = 'pending', address = excluded.address, confirm_token = excluded.confirm_token,
             unsubscribe_token = excluded.unsubscribe_token, confirmed_at = NULL`,
          emailHash, sealedAddress, createMailToken(), createMailToken(), known?.confirmSentAt ?? null, now,
        );
      } else {
        this.#sql.exec("UPDATE mail_subscribers SET address = ? WHERE email_hash = ?", sealedAddress, emailHash);
      }
      const lastSent = known?.confirmSentAt ?? null;
      if (lastSent !== null && now - lastSent < DAY_MS) return false;
      this.#sql.exec("UPDATE mail_subscribers SET confirm_sent_at = ? WHERE email_hash = ?", now, emailHash);
      this.#enqueue(`confirm:${emailHash}:${now}`, "confirm", emailHash, null, now);
      return true;
    });
  }

  /** Confirms the pending subscription with this token; returns whether one was (a second POST finds none). */
  confirm(token: string, now: number): boolean {
    const row = this.#rows<{ email_hash: string }>("SELECT email_hash FROM mail_subscribers WHERE confirm_token = ? AND state = 'pending'", token)[0];
    if (!row) return false;
    this.#sql.exec("UPDATE mail_subscribers SET state = 'confirmed', confirm_token = NULL, confirmed_at = ? WHERE email_hash = ?", now, row.email_hash);
    return true;
  }

  /** Whether a confirmation token is one still waiting for its POST (the GET page says so, changing nothing). */
  isPendingConfirmation(token: string): boolean {
    return this.#rows("SELECT 1 FROM mail_subscribers WHERE confirm_token = ? AND state = 'pending'", token).length > 0;
  }

  /** Whether an unsubscribe token names a subscriber who still gets mail. */
  isSubscribed(token: string): boolean {
    return this.#rows("SELECT 1 FROM mail_subscribers WHERE unsubscribe_token = ? AND state != 'unsubscribed'", token).length > 0;
  }

  /**
   * Unsubscribes the address with this token: its sealed address is deleted, its watches and unsent mail dropped.
   * Idempotent; returns whether the token named anyone.
   */
  unsubscribe(token: string, now: number): boolean {
    return this.#transaction(() => {
      const row = this.#rows<{ email_hash: string }>("SELECT email_hash FROM mail_subscribers WHERE unsubscribe_token = ?", token)[0];
      if (!row) return false;
      this.#sql.exec("UPDATE mail_subscribers SET state = 'unsubscribed', address = NULL, confirm_token = NULL WHERE email_hash = ?", row.email_hash);
      this.#sql.exec("DELETE FROM mail_watches WHERE email_hash = ?", row.email_hash);
      this.#dropUnsent(row.email_hash, now);
      return true;
    });
  }

  /** What is held for this address (`person export`): its subscription, without the sealed address or tokens. */
  describe(emailHash: string): PersonSubscription[] {
    const row = this.#rows<{ state: string; created_at: number; confirmed_at: number | null }>(
      "SELECT state, created_at, confirmed_at FROM mail_subscribers WHERE email_hash = ?", emailHash)[0];
    const watching = this.#rows<{ comment_id: string }>("SELECT comment_id FROM mail_watches WHERE email_hash = ? ORDER BY comment_id", emailHash).map((w) => w.comment_id);
    const mails = this.#rows<{ n: number }>("SELECT COUNT(*) AS n FROM mail_outbox WHERE email_hash = ?", emailHash)[0]?.n ?? 0;
    if (!row && watching.length === 0 && mails === 0) return [];
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return [{ state: row?.state ?? "none", createdAt: iso(row?.created_at ?? null) ?? "", confirmedAt: iso(row?.confirmed_at ?? null), watching, mails }];
  }

  /** Forgets an address entirely (`person erase`): its subscription, watches and every outbox line. */
  forgetAddress(emailHash: string): void {
    this.#transaction(() => {
      this.#sql.exec("DELETE FROM mail_subscribers WHERE email_hash = ?", emailHash);
      this.#sql.exec("DELETE FROM mail_watches WHERE email_hash = ?", emailHash);
      this.#sql.exec("DELETE FROM mail_outbox WHERE email_hash = ?", emailHash);
    });
  }

  #dropUnsent(emailHash: string, now: number): void {
    this.#sql.exec(
      "UPDATE mail_outbox SET state = 'dropped', updated_at = ? WHERE email_hash = ? AND state IN ('queued', 'retrying', 'sending')",
      now, emailHash,
    );
  }

  #enqueue(id: string, kind: MailKind, emailHash: string, commentId: string | null, now: number): boolean {
    const before = this.#rows("SELECT 1 FROM mail_outbox WHERE id = ?", id).length;
    this.#sql.exec(
      `INSERT OR IGNORE INTO mail_outbox (id, kind, email_hash, comment_id, state, not_before, attempts, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'queued', ?, 0, ?, ?)`,
      id, kind, emailHash, commentId, now, now, now,
    );
    return before === 0;
  }

  /**
   * An approved reply: queues a notification to the author of the comment it answers when they watch it and are
   * confirmed (not when they wrote the reply themselves). Keyed (reply id, recipient hash): a second approval of the
   * same reply queues nothing. Called inside the approval's transaction. Returns whether a mail was queued.
   */
  queueReplyNotice(replyId: string, parentId: string | null, replyEmailHash: string | null, now: number): boolean {
    if (parentId === null) return false;
    const watch = this.#rows<{ email_hash: string }>(
      `SELECT w.email_hash FROM mail_watches w JOIN mail_subscribers s ON s.email_hash = w.email_hash
       WHERE w.comment_id = ? AND s.state = 'confirmed'`,
      parentId,
    )[0];
    if (!watch || watch.email_hash === replyEmailHash) return false;
    return this.#enqueue(`reply:${replyId}:${watch.email_hash}`, "reply", watch.email_hash, replyId, now);
  }

  /**
   * A new comment is held for moderation: queues the pending-comment mail to one moderator's address, keyed (comment
   * id, recipient hash), so taking the same comment in again never queues again. Called inside the ingest's
   * transaction. Returns whether a mail was queued.
   */
  queuePendingNotice(commentId: string, emailHash: string, now: number): boolean {
    return this.#enqueue(`pending:${commentId}:${emailHash}`, "pending", emailHash, commentId, now);
  }

  /** Drops the unsent mails of one kind to this address (a revoked moderator is mailed nothing more). */
  dropUnsentOfKind(emailHash: string, kind: MailKind, reason: string, now: number): void {
    this.#sql.exec(
      "UPDATE mail_outbox SET state = 'dropped', error = ?, updated_at = ? WHERE email_hash = ? AND kind = ? AND state IN ('queued', 'retrying', 'sending')",
      reason, now, emailHash, kind,
    );
  }

  /**
   * Claims up to `limit` mails due at `now` (queued, or retrying and due), marking them `sending` under a lease in
   * this same step, so two passes never send one mail twice.
   */
  claimDue(now: number, limit: number): OutboxMail[] {
    return this.#transaction(() => {
      const rows = this.#rows<{ id: string; kind: string; email_hash: string; comment_id: string | null; attempts: number }>(
        `SELECT id, kind, email_hash, comment_id, attempts FROM mail_outbox
         WHERE state IN ('queued', 'retrying', 'sending') AND not_before <= ? ORDER BY not_before, id LIMIT ?`,
        now, limit,
      );
      for (const row of rows) this.#sql.exec("UPDATE mail_outbox SET state = 'sending', not_before = ? WHERE id = ?", now + SEND_LEASE_MS, row.id);
      return rows.map((r) => ({ id: r.id, kind: r.kind as MailKind, emailHash: r.email_hash, commentId: r.comment_id, attempts: r.attempts }));
    });
  }

  /** Puts claimed mails back, due at `at` (the per-recipient gap or the daily limit), their attempts unchanged. */
  postpone(ids: readonly string[], at: number, now: number): void {
    for (const id of ids) this.#sql.exec("UPDATE mail_outbox SET state = 'queued', not_before = ?, updated_at = ? WHERE id = ?", at, now, id);
  }

  markSent(ids: readonly string[], messageId: string, now: number): void {
    for (const id of ids) {
      this.#sql.exec(
        "UPDATE mail_outbox SET state = 'sent', attempts = attempts + 1, message_id = ?, error = NULL, updated_at = ? WHERE id = ?",
        messageId, now, id,
      );
    }
  }

  /** A send failed: `retrying` due at `retryAt`, or `failed` for good when `retryAt` is null. */
  markFailed(ids: readonly string[], error: string, retryAt: number | null, now: number): void {
    for (const id of ids) {
      this.#sql.exec(
        "UPDATE mail_outbox SET state = ?, attempts = attempts + 1, error = ?, not_before = ?, updated_at = ? WHERE id = ?",
        retryAt === null ? "failed" : "retrying", error.slice(0, 500), retryAt ?? now, now, id,
      );
    }
  }

  /**
   * A test email, sent at once (not through the alarm), written to the log as it went: sent with the provider's
   * message id, or failed with the error. It is never retried: the moderator presses the button again.
   */
  logTest(emailHash: string, outcome: { messageId: string } | { error: string }, now: number): void {
    const sent = "messageId" in outcome;
    this.#sql.exec(
      "INSERT INTO mail_outbox (id, kind, email_hash, comment_id, state, not_before, attempts, message_id, error, created_at, updated_at) VALUES (?, 'test', ?, NULL, ?, ?, 1, ?, ?, ?, ?)",
      `test:${emailHash}:${crypto.randomUUID()}`, emailHash, sent ? "sent" : "failed", now, sent ? outcome.messageId : null, sent ? null : outcome.error.slice(0, 500), now, now,
    );
  }

  /** A mail no longer wanted at send time (the reply unapproved, the subscriber gone). */
  drop(ids: readonly string[], reason: string, now: number): void {
    for (const id of ids) this.#sql.exec("UPDATE mail_outbox SET state = 'dropped', error = ?, updated_at = ? WHERE id = ?", reason, now, id);
  }

  /**
   * When the last notification of this kind (reply, or pending for moderators) to this recipient was sent (ms), or
   * null. The confirmation does not count.
   */
  lastNoticeTo(emailHash: string, kind: "reply" | "pending" = "reply"): number | null {
    return this.#rows<{ at: number | null }>(
      "SELECT MAX(updated_at) AS at FROM mail_outbox WHERE email_hash = ? AND kind = ? AND state = 'sent'",
      emailHash, kind,
    )[0]?.at ?? null;
  }

  /** How many messages went out since `since` (mails merged into one message count once). */
  sentSince(since: number): number {
    return this.#rows<{ n: number }>("SELECT COUNT(DISTINCT message_id) AS n FROM mail_outbox WHERE state = 'sent' AND updated_at >= ?", since)[0]?.n ?? 0;
  }

  /** The earliest moment a mail is due (null: nothing waits). */
  nextDue(): number | null {
    return this.#rows<{ at: number | null }>("SELECT MIN(not_before) AS at FROM mail_outbox WHERE state IN ('queued', 'retrying', 'sending')")[0]?.at ?? null;
  }

  /** The delivery log, newest first. */
  deliveryLog(limit: number): DeliveryLogEntry[] {
    return this.#rows<{ id: string; kind: string; email_hash: string; comment_id: string | null; state: string; attempts: number; message_id: string | null; error: string | null; created_at: number; updated_at: number }>(
      "SELECT id, kind, email_hash, comment_id, state, attempts, message_id, error, created_at, updated_at FROM mail_outbox ORDER BY updated_at DESC, id LIMIT ?",
      limit,
    ).map((r) => ({
      id: r.id.replace(r.email_hash, r.email_hash.slice(0, 12)),
      kind: r.kind as MailKind,
      recipient: r.email_hash.slice(0, 12),
      commentId: r.comment_id,
      state: r.state as DeliveryState,
      attempts: r.attempts,
      messageId: r.message_id,
      error: r.error,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    }));
  }
}
