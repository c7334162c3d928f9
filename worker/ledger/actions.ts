// What every action on the ledger shares, and the public intake. Each action commits to the ledger (one atomic,
// strongly consistent step), marks what it changed in the outbox, and lets the publisher write it to KV.
// An action answers once its post's thread and the counts are written, or, when KV's one-write-a-second rule or
// an outage holds a write back, after at most `maxWaitMs` (the answer then says `published: false`; the
// Durable Object's alarm finishes the write). The actions build on this class: the author's take-back
// (author-actions.ts) and the moderators' (moderation.ts, whose `Moderation` is the whole set). The worker calls
// them through the Durable Object (object.ts); tests call them directly with a KV double and a fake clock.
import type { AdminComment } from "../comment.ts";
import { type Desk, ruleVerdict } from "../desk/tables.ts";
import type { Ledger } from "./ledger.ts";
import type { OutboxKey } from "./outbox.ts";
import type { Publisher } from "../publish/publisher.ts";
import type { Status } from "../intake/schema.ts";

/** A record and the salted hash of its email (null when it has none), as the worker hands them over. */
export interface LedgerEntry {
  record: AdminComment;
  emailHash: string | null;
}

export interface ActionOutcome {
  record: AdminComment;
  /** Whether the change is in KV (readers see it within KV's propagation time) when the action answers. */
  published: boolean;
}

/** Who acts, as the audit log names them: a moderator's name, or `system` for the service itself. */
export type Actor = string;
export const SYSTEM: Actor = "system";
/** The commenter acting with their edit token. */
export const AUTHOR: Actor = "author";
/** The commenter acting through the signed link in their mail ("manage my comments", worker/mail/manage-link.ts). */
export const COMMENTER: Actor = "commenter";

export interface ModerationOptions {
  ledger: Ledger;
  desk: Desk;
  publisher: Publisher;
  knownPosts: () => readonly string[];
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** How long an action waits for KV to accept its writes before answering (0: it does not wait). */
  maxWaitMs: number;
  /**
   * Sets the Durable Object's alarm, in the same step as the outbox change it follows, so the outbox is worked even
   * if the object is reset before its own pass sets a wake-up.
   */
  armAlarm: (at: number) => void;
  /**
   * Called inside the transaction that makes a comment approved (a moderator's approval, the blog's reply, an
   * auto-approved submission), so what it writes (the reply notification, worker/mail/) commits with the approval.
   */
  onApproved?: (record: AdminComment, emailHash: string | null) => void;
  /**
   * Called inside the transaction that takes in a new comment held for moderation (the intake, the inbox's drain),
   * so the moderators' mail about it (worker/mail/) commits with it, and a comment taken in again queues nothing.
   */
  onPending?: (record: AdminComment) => void;
}

/** The alarm armed with every outbox change: a backstop after the action's own pass, which normally ends the work. */
const BACKSTOP_MS = 5000;
/** KV accepts one write a second to a key: a comment's record, written by the POST, is not rewritten sooner. */
const RECORD_SPACING_MS = 1000;

/** The outbox keys a change to these posts' threads owes: each thread, and the counts. */
export const postKeys = (posts: Iterable<string>): OutboxKey[] => [...[...posts].map((post) => `thread:${post}` as const), "counts"];

export class LedgerActions {
  protected readonly options: ModerationOptions;

  constructor(options: ModerationOptions) {
    this.options = options;
  }

  get ledger(): Ledger {
    return this.options.ledger;
  }

  get desk(): Desk {
    return this.options.desk;
  }

  protected at(): string {
    return new Date(this.options.now()).toISOString();
  }

  /** Marks keys dirty in the outbox (a comment's record no sooner than a second after its submission), alarm armed. */
  protected markDirty(keys: readonly OutboxKey[]): void {
    const { ledger, now } = this.options;
    for (const key of keys) {
      const created = key.startsWith("record:") ? ledger.createdAtOf(key.slice("record:".length)) : null;
      ledger.markDirty([key], Math.max(now(), created === null ? 0 : Date.parse(created) + RECORD_SPACING_MS));
    }
    this.options.armAlarm(now() + BACKSTOP_MS);
  }

  /** Marks keys dirty, publishes, and waits (bounded) until they are written. */
  protected async publish(keys: OutboxKey[]): Promise<boolean> {
    const { publisher, now, sleep, maxWaitMs } = this.options;
    this.markDirty(keys);
    const deadline = now() + maxWaitMs;
    await publisher.flush();
    for (;;) {
      const until = publisher.waitingUntil(keys);
      if (until === 0) return true;
      if (until > deadline) return false;
      await sleep(Math.max(0, until - now()));
      await publisher.flush();
    }
  }

  /**
   * A new submission (or one the reconcile found in KV). Idempotent: a known id keeps its ledger state. A pending
   * record from an email with an approved comment is approved at once when `autoApproveReturning` is on.
   */
  async ingest(entry: LedgerEntry, { autoApproveReturning = false } = {}): Promise<Status | "deleted"> {
    const { ledger } = this.options;
    const known = ledger.get(entry.record.id);
    if (known) return known.status;
    if (ledger.knownIds([entry.record.id]).size > 0) return "deleted";
    let record = entry.record;
    // The owner's rules decide a new submission first: spam wins over hold, and hold beats auto-approval.
    const trusted = entry.emailHash !== null && ledger.isTrusted(entry.emailHash);
    const verdict = record.status === "pending" ? ruleVerdict(this.options.desk.rules(), record, entry.emailHash, trusted) : null;
    if (verdict?.action === "spam") {
      record = { ...record, status: "spam", moderatedAt: this.at() };
    } else if (!verdict && record.status === "pending" && autoApproveReturning && trusted) {
      record = { ...record, status: "approved", moderatedAt: this.at() };
    }
    ledger.transaction(() => {
      ledger.insert([{ record, emailHash: entry.emailHash }]);
      if (record.status === "approved") this.options.onApproved?.(record, entry.emailHash);
      if (record.status === "pending") this.options.onPending?.(record);
      if (verdict) this.options.desk.auditComment(this.at(), "rules", verdict.action, { ...record, status: "pending" }, record, { rule: verdict.rule.id });
    });
    // A pending comment changes nothing readers see; an approved one is published in one pass (never waiting).
    if (record.status === "approved") {
      this.markDirty(postKeys([record.post]));
      await this.options.publisher.flush();
    }
    return record.status;
  }

  /** Whether a reader may reply to `parentId` on `post`: it must be an approved comment there. */
  canReplyTo(parentId: string, post: string): boolean {
    return this.options.ledger.isApprovedOn(parentId, post);
  }
  /** Leaves a tombstone for a live comment, audited, its text forgotten by the desk; the record it was, or null. */
  protected tombstone(id: string, actor: Actor): AdminComment | null {
    const { ledger, desk } = this.options;
    return ledger.transaction(() => {
      const at = this.at();
      const record = ledger.tombstone(id, at);
      if (record) {
        desk.forgetText(id);
        desk.auditComment(at, actor, "delete", record, null);
      }
      return record;
    });
  }

  /** Deletes a comment for good: unpublished, its KV record erased, a tombstone left; null when unknown. */
  async remove(id: string, actor: Actor = SYSTEM): Promise<ActionOutcome | null> {
    const record = this.tombstone(id, actor);
    if (!record) return null;
    const published = await this.publish([...postKeys([record.post]), `record:${id}`]);
    return { record, published };
  }

  /** The alarm: whatever the outbox still holds. */
  flush(): Promise<void> {
    return this.options.publisher.flush();
  }

  get(id: string): AdminComment | null {
    return this.options.ledger.get(id);
  }
}
