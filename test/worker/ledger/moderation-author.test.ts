// The author's edit grant in the ledger (worker/ledger/author-actions.ts, "take it back"), on a real Durable Object's
// SQLite with a KV double and a clock the test moves: the 15-minute window to the millisecond, and what an edit or a
// withdrawal publishes.
import { describe, expect, it } from "vitest";
import { POST } from "../helpers.ts";
import { FakeClock, KvDouble } from "../kv-double.ts";
import { type LedgerRig, pendingRecord, publishedIds, withLedger } from "../ledger-harness.ts";

const WINDOW_MS = 15 * 60_000;
const THREAD = `v1:thread:${POST}`;

function rig<T>(body: (rig: LedgerRig, kv: KvDouble) => Promise<T>): Promise<T> {
  const kv = new KvDouble(new FakeClock());
  return withLedger(kv.binding, (r) => body(r, kv), { clock: kv.clock, maxWaitMs: 5000 });
}

/** A new pending comment taken in with a grant for `hash`, its window starting now. */
async function ingestWithGrant({ moderation, clock }: LedgerRig, hash = "hash-1") {
  const record = pendingRecord({ createdAt: new Date(clock.now()).toISOString() });
  const taken = await moderation.ingestEditable({ record, emailHash: "e" }, {}, { tokenHash: hash, until: clock.now() + WINDOW_MS });
  return { record, taken };
}

describe("ingestEditable", () => {
  it("records a grant for a new comment only, never for an id the ledger already knows", async () => {
    await rig(async (r) => {
      const { record, taken } = await ingestWithGrant(r);
      expect(taken).toEqual({ status: "pending", editable: true });
      const again = await r.moderation.ingestEditable({ record, emailHash: "e" }, {}, { tokenHash: "other", until: r.clock.now() + WINDOW_MS });
      expect(again).toEqual({ status: "pending", editable: false });
      expect(r.ledger.editGrant(record.id)?.tokenHash).toBe("hash-1");
    });
  });

  it("drops grants past their deadline when the next one is added", async () => {
    await rig(async (r) => {
      const { record } = await ingestWithGrant(r);
      r.clock.advance(WINDOW_MS);
      await ingestWithGrant(r, "hash-2");
      expect(r.ledger.editGrant(record.id)).toBeNull();
    });
  });
});

describe("editByAuthor", () => {
  it("works until the last millisecond of the 15 minutes and is refused from then on", async () => {
    await rig(async (r) => {
      const { record } = await ingestWithGrant(r);
      r.clock.advance(WINDOW_MS - 1);
      expect(await r.moderation.editByAuthor(record.id, "hash-1", "Just in time.")).toMatchObject({ refused: null });
      r.clock.advance(1);
      expect(await r.moderation.editByAuthor(record.id, "hash-1", "Too late.")).toMatchObject({ refused: "expired" });
      expect(r.ledger.get(record.id)?.body).toBe("Just in time.");
    });
  });

  it("refuses a wrong hash before saying anything about the window", async () => {
    await rig(async (r) => {
      const { record } = await ingestWithGrant(r);
      r.clock.advance(WINDOW_MS * 2);
      expect(await r.moderation.editByAuthor(record.id, "not-it", "x")).toMatchObject({ refused: "forbidden" });
      expect(await r.moderation.removeByAuthor("unknown-id", "hash-1")).toMatchObject({ refused: "forbidden" });
    });
  });

  it("takes an approved comment off the published thread when its text changes", async () => {
    await rig(async (r, kv) => {
      const { record } = await ingestWithGrant(r);
      await r.moderation.setStatus(record.id, "approved");
      expect(publishedIds(kv.latest(THREAD))).toEqual([record.id]);
      r.clock.advance(2000);
      const outcome = await r.moderation.editByAuthor(record.id, "hash-1", "Changed.");
      expect(outcome).toMatchObject({ refused: null, published: true, record: { status: "pending", moderatedAt: null, body: "Changed." } });
      expect(publishedIds(kv.latest(THREAD))).toEqual([]);
      expect(r.ledger.approvedCounts().get(POST)).toBe(0);
    });
  });

  it("with keepApproval republishes the new text and keeps the approval time", async () => {
    await rig(async (r, kv) => {
      const { record } = await ingestWithGrant(r);
      const approved = await r.moderation.setStatus(record.id, "approved");
      r.clock.advance(2000);
      const outcome = await r.moderation.editByAuthor(record.id, "hash-1", "Changed.", { keepApproval: true });
      expect(outcome.record).toMatchObject({ status: "approved", moderatedAt: approved?.record.moderatedAt, body: "Changed." });
      expect((JSON.parse(kv.latest(THREAD) ?? "[]") as { body: string }[]).map((c) => c.body)).toEqual(["Changed."]);
    });
  });

  it("writes only the comment's own KV record for an edit of a pending comment, with the new text (readers see no change)", async () => {
    await rig(async (r, kv) => {
      const { record } = await ingestWithGrant(r);
      await r.moderation.editByAuthor(record.id, "hash-1", "Quiet change.");
      expect(kv.writes.map((w) => w.key)).toEqual([`v1:comment:${record.id}`]);
      expect(JSON.parse(kv.latest(`v1:comment:${record.id}`)!)).toMatchObject({ body: "Quiet change.", status: "pending" });
      // Not within a second of the submission's own write, which KV would refuse.
      expect(kv.writes[0]!.at - Date.parse(record.createdAt)).toBeGreaterThanOrEqual(1000);
    });
  });

  it("leaves no KV record when a delete lands while an edit's record write is in flight", async () => {
    await rig(async (r, kv) => {
      const { record } = await ingestWithGrant(r);
      r.clock.advance(5000);
      const release = kv.holdWrites((key) => key === `v1:comment:${record.id}`);
      const editing = r.moderation.editByAuthor(record.id, "hash-1", "A text I will regret.");
      await new Promise((resolve) => setTimeout(resolve, 0));
      const deleting = r.moderation.remove(record.id, "Ada");
      release();
      await Promise.all([editing, deleting]);
      await r.runAlarmsUntil(r.clock.now() + 10_000);
      expect(kv.latest(`v1:comment:${record.id}`)).toBeNull();
      expect(JSON.stringify(kv.writes)).toContain("A text I will regret.");
    });
  });
});

describe("removeByAuthor", () => {
  it("is a moderator's delete: a tombstone, the KV record erased, and a second call finds nothing", async () => {
    await rig(async (r, kv) => {
      const { record } = await ingestWithGrant(r);
      expect(await r.moderation.removeByAuthor(record.id, "hash-1")).toMatchObject({ refused: null });
      expect(r.ledger.get(record.id)).toBeNull();
      expect(kv.writes.some((w) => w.key === `v1:comment:${record.id}`)).toBe(true);
      expect(await r.moderation.removeByAuthor(record.id, "hash-1")).toMatchObject({ refused: "gone" });
    });
  });
});

describe("the author's actions and the moderators' decisions", () => {
  it("cannot edit a comment a moderator marked spam back into the queue", async () => {
    await rig(async (r) => {
      const { record } = await ingestWithGrant(r);
      await r.moderation.setStatus(record.id, "spam", "Ada");
      expect(await r.moderation.editByAuthor(record.id, "hash-1", "Not spam, honest.")).toMatchObject({ refused: "rejected" });
      expect(r.ledger.get(record.id)).toMatchObject({ status: "spam", body: record.body });
    });
  });

  it("records the author's edit and withdrawal in the audit log under 'author', never with the text", async () => {
    await rig(async (r) => {
      const { record } = await ingestWithGrant(r);
      await r.moderation.setStatus(record.id, "approved", "Ada");
      await r.moderation.editByAuthor(record.id, "hash-1", "A secret second thought.");
      await r.moderation.removeByAuthor(record.id, "hash-1");
      const entries = r.desk.auditPage(10, null).filter((e) => e.moderator === "author");
      expect(entries.map((e) => [e.action, e.from, e.to])).toEqual([["delete", "pending", "deleted"], ["author-edit", "approved", "pending"]]);
      expect(JSON.stringify(r.desk.auditPage(10, null))).not.toContain("second thought");
    });
  });
});
