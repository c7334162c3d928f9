// The moderation desk's shapes (moderators, audit entries, rules, one person's data, the site rebuild's status),
// declared once for the worker, the moderation CLI and the /admin page. Types only: importing this file adds nothing
// to a bundle.
import type { AdminComment, LedgerStatus } from "./comment.ts";
import type { ModeratorRole, RuleAction, RuleKind } from "./intake/schema.ts";

export interface Moderator {
  name: string;
  role: ModeratorRole;
}

export interface ModeratorListing extends Moderator {
  createdAt: string;
  revokedAt: string | null;
}

/** One line of the audit log. `id` and `post` name the comment (null for moderator and rule changes). */
export interface AuditEntry {
  seq: number;
  at: string;
  moderator: string;
  action: string;
  id: string | null;
  post: string | null;
  from: LedgerStatus | null;
  to: LedgerStatus | null;
  detail?: Record<string, unknown>;
}

export type AuditDraft = Omit<AuditEntry, "seq">;

export interface Rule {
  id: string;
  kind: RuleKind;
  /** The word, the number of links, the email's salted hash, or "" for first-comment. */
  value: string;
  action: RuleAction;
  createdAt: string;
  createdBy: string;
}

// One person's data (ledger/person.ts): an owner's export and erasure of everything held about an email address.

/**
 * Whose data: the address as given and its salted hash (worker/intake/ids.ts `hashEmail`). The address is null when
 * only the hash is known (the commenter's own "manage my comments" link): comments stored without a hash (some
 * imports) are then out of reach, and only a moderator's export or erasure by address finds them.
 */
export interface Person {
  email: string | null;
  emailHash: string;
}

/** Everything held about one address, its reply-mail subscription included (one at most, by the address's hash). */
export interface PersonExport {
  /** The address asked about; null for the commenter's own export, which names them by hash only. */
  email: string | null;
  comments: AdminComment[];
  /** Block rules keyed on the address's hash (the hash, never the address, is what a rule keeps). */
  rules: Rule[];
  /** The audit log's entries about those comments; moderators are named by role only (their names are not this person's data). */
  audit: AuditEntry[];
  /** The author's right to edit or delete a new comment, while it lasts (the token itself is never stored). */
  editGrants: { id: string; until: string }[];
  subscriptions: PersonSubscription[];
}

/** What an erasure did, as counts (the receipt the CLI and /admin print). */
export interface ErasureReceipt {
  comments: number;
  /** `v1:comment:<id>` records the publisher deletes from KV (one per erased comment). */
  kvRecordsDeleted: number;
  /** Posts whose published thread and count are derived again without the erased comments. */
  posts: string[];
  auditRowsScrubbed: number;
  editGrantsRemoved: number;
  rulesKept: number;
  rulesRemoved: number;
  /** Whether KV already holds the result when the erasure answers (else the ledger's alarm finishes it). */
  published: boolean;
}

/** A reply-mail subscription as its owner sees it: never the sealed address or the tokens. */
export interface PersonSubscription {
  state: string;
  createdAt: string;
  confirmedAt: string | null;
  /** The comments whose replies are mailed. */
  watching: string[];
  /** Mail queued, sent or failed for this address. */
  mails: number;
}

/** How far the live site is behind, as `GET /api/admin/status` and `npm run moderate -- status` show it. */
export interface RebuildStatus {
  /** Whether DEPLOY_HOOK_URL is set. */
  hook: boolean;
  /** The ledger's publication version: what readers of the live thread see now. */
  version: number;
  /** The version the live site last reported (0: never checked). */
  liveVersion: number;
  /** The version a rebuild is owed for, or null when the site is up to date (or there is no hook). */
  owedVersion: number | null;
  owedSince: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  lastCalledAt: string | null;
  checkedAt: string | null;
}

/** What pressing "Send a test email" in /admin did (POST /api/admin/mail/test). */
export type TestMailOutcome =
  | { result: "sent"; messageId: string }
  | { result: "failed"; error: string }
  | { result: "no-address" }
  | { result: "mail-off" };

/** What a mail is: a reply notification, a subscription's confirmation, a moderator's test email from /admin. */
export type MailKind = "reply" | "confirm" | "test" | "pending";
/** A mail's place in the outbox: `sending` is a claim held during one send (it lapses if the object is reset). */
export type DeliveryState = "queued" | "sending" | "retrying" | "sent" | "failed" | "dropped";

/** One line of the mail delivery log (GET /api/admin/mail/log): never an address, the hash's first characters. */
export interface DeliveryLine {
  id: string;
  kind: MailKind;
  recipient: string;
  commentId: string | null;
  state: DeliveryState;
  attempts: number;
  messageId: string | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}
