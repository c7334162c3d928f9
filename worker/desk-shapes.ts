// The moderation desk's shapes (moderators, audit entries, rules, the site rebuild's status), declared once for the
// worker, the moderation CLI and the /admin page. Types only: importing this file adds nothing to a bundle.
import type { LedgerStatus } from "./comment.ts";
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
