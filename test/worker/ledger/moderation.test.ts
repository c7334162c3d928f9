// The moderation actions (worker/ledger/moderation.ts) on a real Durable Object's SQLite, with a KV double that keeps
// production's rules and a clock the test moves (ledger-harness.ts).
import { describe, expect, it } from "vitest";
import { POST, OTHER_POST } from "../helpers.ts";
import { FakeClock, KvDouble } from "../kv-double.ts";
import { type LedgerRig, pendingRecord, publishedIds, withLedger } from "../ledger-harness.ts";

const THREAD = `v1:thread:${POST}`;

function rig<T>(body: (rig: LedgerRig, kv: KvDouble) => Promise<T>, maxWaitMs = 0): Promise<T> {
  const kv = new KvDouble(new FakeClock());
  return withLedger(kv.binding, (r) => body(r, kv), { clock: kv.clock, maxWaitMs });
}

describe("ingest", () => {
  it("holds a new comment as pending and publishes nothing", async () => {
    await rig(async ({ moderation, ledger }, kv) => {
      const record = pendingRecord();
      expect(await moderation.ingest({ record, emailHash: "h" })).toBe("pending");
      expect(ledger.get(record.id)).toEqual({ ...record, email: null });
      expect(kv.writes).toEqual([]);
    });
  });

  it("is idempotent: an id it knows keeps the ledger's state, whatever the record says", async () => {
    await rig(async ({ moderation }) => {
      const record = pendingRecord();
      await moderation.ingest({ record, emailHash: null });
      await moderation.setStatus(record.id, "rejected");
      expect(await moderation.ingest({ record: { ...record, status: "approved" }, emailHash: null })).toBe("rejected");
    });
  });

  it("approves and publishes at once a returning commenter only when asked to", async () => {
    await rig(async ({ moderation }, kv) => {
      const first = pendingRecord();
      await moderation.ingest({ record: first, emailHash: "same" });
      await moderation.setStatus(first.id, "approved");
      kv.clock.advance(2000);
      expect(await moderation.ingest({ record: pendingRecord(), emailHash: "same" })).toBe("pending");
      const again = pendingRecord();
      expect(await moderation.ingest({ record: again, emailHash: "same" }, { autoApproveReturning: true })).toBe("approved");
      expect(publishedIds(kv.latest(THREAD))).toContain(again.id);
      expect(await moderation.ingest({ record: pendingRecord(), emailHash: "other" }, { autoApproveReturning: true })).toBe("pending");
    });
  });

  it("stops trusting an email once its only approved comment is rejected", async () => {
    await rig(async ({ moderation }) => {
      const first = pendingRecord();
      await moderation.ingest({ record: first, emailHash: "h" });
      await moderation.setStatus(first.id, "approved");
      await moderation.setStatus(first.id, "rejected");
      expect(await moderation.ingest({ record: pendingRecord(), emailHash: "h" }, { autoApproveReturning: true })).toBe("pending");
    });
  });
});

describe("canReplyTo", () => {
  it("allows replies only to an approved comment on the same post", async () => {
    await rig(async ({ moderation }) => {
      const approved = pendingRecord();
      const pending = pendingRecord();
      await moderation.ingest({ record: approved, emailHash: null });
      await moderation.ingest({ record: pending, emailHash: null });
      await moderation.setStatus(approved.id, "approved");
      expect(moderation.canReplyTo(approved.id, POST)).toBe(true);
      expect(moderation.canReplyTo(approved.id, OTHER_POST)).toBe(false);
      expect(moderation.canReplyTo(pending.id, POST)).toBe(false);
      expect(moderation.canReplyTo("unknown", POST)).toBe(false);
    });
  });
});

describe("setStatus", () => {
  it("answers null for an unknown or deleted id", async () => {
    await rig(async ({ moderation }) => {
      expect(await moderation.setStatus("nope", "approved")).toBeNull();
      const record = pendingRecord();
      await moderation.ingest({ record, emailHash: null });
      await moderation.remove(record.id);
      expect(await moderation.setStatus(record.id, "approved")).toBeNull();
    });
  });

  it("waits (bounded) for KV's one-write-a-second rule and answers published once the write landed", async () => {
    await rig(async ({ moderation }, kv) => {
      const [a, b] = [pendingRecord(), pendingRecord()];
      for (const record of [a, b]) await moderation.ingest({ record, emailHash: null });
      expect(await moderation.setStatus(a.id, "approved")).toMatchObject({ published: true });
      const start = kv.clock.now();
      expect(await moderation.setStatus(b.id, "approved")).toMatchObject({ published: true });
      expect(kv.clock.now() - start).toBeGreaterThanOrEqual(1000);
      expect(publishedIds(kv.latest(THREAD))).toEqual([a.id, b.id]);
    }, 3000);
  });

  it("answers published: false when KV keeps refusing past the wait, and keeps the decision", async () => {
    await rig(async ({ moderation, ledger }, kv) => {
      const record = pendingRecord();
      await moderation.ingest({ record, emailHash: null });
      kv.failWhen((op) => op === "put");
      const original = console.error;
      console.error = () => {};
      try {
        expect(await moderation.setStatus(record.id, "approved")).toMatchObject({ published: false, record: { status: "approved" } });
      } finally {
        console.error = original;
      }
      expect(ledger.get(record.id)!.status).toBe("approved");
    }, 3000);
  });
});

describe("importEntries", () => {
  it("refuses the whole batch, naming each problem, for an unknown post or a parent on another post", async () => {
    await rig(async ({ moderation, ledger }) => {
      const parent = pendingRecord({ post: OTHER_POST });
      const outcome = await moderation.importEntries([
        { record: pendingRecord({ post: "no-such-post" }), emailHash: null },
        { record: parent, emailHash: null },
        { record: pendingRecord({ parentId: parent.id }), emailHash: null },
      ]);
      expect(outcome.fields).toEqual({ "0.post": 'There is no post "no-such-post".', "2.parentId": `Comment ${parent.id} is not on post "${POST}".` });
      expect(ledger.get(parent.id)).toBeNull();
    });
  });

  it("skips ids it holds and leaves a comment deleted here deleted, counting it", async () => {
    await rig(async ({ moderation, ledger }) => {
      const kept = pendingRecord();
      const deleted = pendingRecord();
      await moderation.importEntries([kept, deleted].map((record) => ({ record, emailHash: null })));
      await moderation.remove(deleted.id);
      expect(await moderation.importEntries([kept, deleted].map((record) => ({ record, emailHash: null })))).toEqual({ imported: 0, skipped: 1, keptDeleted: 1, fields: null });
      expect(ledger.get(deleted.id)).toBeNull();
    });
  });

  it("restores a comment deleted here only when restoreDeleted asks", async () => {
    await rig(async ({ moderation, ledger }) => {
      const deleted = pendingRecord();
      await moderation.importEntries([{ record: deleted, emailHash: null }]);
      await moderation.remove(deleted.id);
      expect(await moderation.importEntries([{ record: deleted, emailHash: null }], "system", { restoreDeleted: true })).toEqual({ imported: 1, skipped: 0, keptDeleted: 0, fields: null });
      expect(ledger.get(deleted.id)).toEqual({ ...deleted, email: null });
    });
  });

  it("takes a new reply to a comment deleted here, and does not re-check replies it already holds", async () => {
    await rig(async ({ moderation, ledger }) => {
      const parent = pendingRecord();
      const reply = pendingRecord({ parentId: parent.id });
      await moderation.importEntries([parent, reply].map((record) => ({ record, emailHash: null })));
      await moderation.remove(parent.id);
      const late = pendingRecord({ parentId: parent.id });
      const outcome = await moderation.importEntries([parent, reply, late].map((record) => ({ record, emailHash: null })));
      expect(outcome).toEqual({ imported: 1, skipped: 1, keptDeleted: 1, fields: null });
      expect(ledger.get(late.id)?.parentId).toBe(parent.id);
    });
  });
});

describe("adopt", () => {
  it("takes in unknown records with their status, never overriding the ledger, and counts what it moved", async () => {
    await rig(async ({ moderation, ledger }, kv) => {
      const known = pendingRecord();
      await moderation.ingest({ record: known, emailHash: null });
      await moderation.setStatus(known.id, "rejected");
      const v1Approved = pendingRecord({ status: "approved", moderatedAt: "2025-01-01T00:00:00.000Z" });
      kv.clock.advance(2000);
      expect(await moderation.adopt([{ record: { ...known, status: "approved" }, emailHash: null }, { record: v1Approved, emailHash: null }])).toEqual({ added: 1, present: 1 });
      expect(ledger.get(known.id)!.status).toBe("rejected");
      expect(publishedIds(kv.latest(THREAD))).toEqual([v1Approved.id]);
    });
  });
});

describe("republish", () => {
  it("writes nothing when KV already holds what the ledger derives, and everything when forced", async () => {
    await rig(async ({ moderation }, kv) => {
      const record = pendingRecord();
      await moderation.ingest({ record, emailHash: null });
      await moderation.setStatus(record.id, "approved");
      kv.clock.advance(2000);
      await moderation.republish();
      kv.clock.advance(2000);
      const before = kv.seq;
      expect(await moderation.republish()).toMatchObject({ posts: 2, comments: 1, published: true });
      expect(kv.seq).toBe(before);
      expect(await moderation.republish({ force: true })).toMatchObject({ published: true });
      expect(kv.writes.slice(before).map((w) => w.key).sort()).toEqual(["v1:counts", THREAD, `v1:thread:${OTHER_POST}`]);
    });
  });
});

describe("the outbox's alarm", () => {
  it("is armed in the same step as the outbox change, before the action's own pass writes anything", async () => {
    await rig(async ({ moderation, wakes }, kv) => {
      const record = pendingRecord();
      await moderation.ingest({ record, emailHash: null });
      const release = kv.holdWrites();
      const approving = moderation.setStatus(record.id, "approved");
      await new Promise((resolve) => setTimeout(resolve, 0));
      // The pass is stuck on its first KV write: were the object reset now, the alarm already armed would finish it.
      expect(kv.writes).toEqual([]);
      expect(wakes.some((at) => at > kv.clock.now())).toBe(true);
      release();
      await approving;
    });
  });
});
