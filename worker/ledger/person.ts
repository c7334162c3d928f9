// One person's data, found by their email address: everything the ledger and the desk hold about them (the answer to
// a subject access request) and its erasure (the answer to an erasure request). UK GDPR gives a commenter both, to be
// answered within a month; docs/privacy.md lists every copy of a comment and how each one is erased.
//
// An erasure leaves, per comment, only a content-free tombstone (id, post, status `erased`, time) so that no path
// (an import of an older backup, the inbox, the reconcile's walk through KV) can ever bring the comment back. Replies
// by other people stay; the published thread shows them at the top level, as it does after any delete. A block rule
// on the address's hash stays: it holds no address or text, and it is the moderators' safety decision, not the
// commenter's data (docs/privacy.md says why).
import type { AuditEntry, ErasureReceipt, Person, PersonExport, Rule } from "../desk-shapes.ts";
import type { Desk } from "../desk/tables.ts";
import type { Ledger } from "./ledger.ts";
import type { OutboxKey } from "./outbox.ts";

export type { ErasureReceipt, Person, PersonExport } from "../desk-shapes.ts";

/** The names the audit log gives parties other than moderators, shown as they are. */
const NOT_STAFF = new Set(["author", "commenter", "system", "rules"]);

/** An audit entry as the person sees it: a moderator's name is another person's data, so only the role shows. */
function withoutStaffNames(entry: AuditEntry): AuditEntry {
  return NOT_STAFF.has(entry.moderator) ? entry : { ...entry, moderator: "moderator" };
}

const isRuleOn = (emailHash: string) => (rule: Rule) => rule.kind === "email" && rule.value === emailHash;

/** Everything the ledger's comments and the desk hold about this person (the mail tables add `subscriptions`). */
export function exportPerson(ledger: Ledger, desk: Desk, person: Person): Omit<PersonExport, "subscriptions"> {
  const comments = ledger.byPerson(person.emailHash, person.email);
  const ids = comments.map((c) => c.id);
  return {
    email: person.email,
    comments,
    rules: desk.rules().filter(isRuleOn(person.emailHash)),
    audit: desk.auditAbout(ids).map(withoutStaffNames),
    editGrants: ids.flatMap((id) => {
      const grant = ledger.editGrant(id);
      return grant ? [{ id, until: new Date(grant.until).toISOString() }] : [];
    }),
  };
}

/**
 * Erases this person's comments in one atomic step (call it inside `ledger.transaction`): each becomes an `erased`
 * tombstone, its edit grant and revision count go, and the audit log keeps its rows about them without their text.
 * `kvOnly`: records KV holds under this address's hash that the ledger never saw; they get a tombstone too. Returns
 * the receipt (without `published`) and the outbox keys to write: the threads, the counts and every erased record.
 */
export function erasePerson(ledger: Ledger, desk: Desk, person: Person, kvOnly: readonly { id: string; post: string }[], actor: string, at: string): { receipt: Omit<ErasureReceipt, "published">; keys: OutboxKey[] } {
  const posts = new Set<string>();
  const ids: string[] = [];
  let auditRowsScrubbed = 0;
  let editGrantsRemoved = 0;
  for (const record of ledger.byPerson(person.emailHash, person.email)) {
    ledger.tombstone(record.id, at, "erased");
    if (ledger.revokeEditGrant(record.id)) editGrantsRemoved++;
    ledger.forgetRevision(record.id);
    auditRowsScrubbed += desk.forgetText(record.id);
    desk.audit({ at, moderator: actor, action: "erase", id: record.id, post: record.post, from: record.status, to: "erased" });
    posts.add(record.post);
    ids.push(record.id);
  }
  for (const { id, post } of kvOnly) {
    if (!ledger.tombstoneUnknown(id, post, at)) continue;
    desk.audit({ at, moderator: actor, action: "erase", id, post, from: null, to: "erased" });
    posts.add(post);
    ids.push(id);
  }
  // "Erased a person (N comments)": never the address, which would defeat the erasure.
  desk.audit({ at, moderator: actor, action: "erase-person", id: null, post: null, from: null, to: null, detail: { comments: ids.length } });
  const receipt = {
    comments: ids.length,
    kvRecordsDeleted: ids.length,
    posts: [...posts],
    auditRowsScrubbed,
    editGrantsRemoved,
    rulesKept: desk.rules().filter(isRuleOn(person.emailHash)).length,
    rulesRemoved: 0,
  };
  const keys: OutboxKey[] = ids.length === 0 ? [] : [...receipt.posts.map((post) => `thread:${post}` as const), "counts", ...ids.map((id) => `record:${id}` as const)];
  return { receipt, keys };
}
