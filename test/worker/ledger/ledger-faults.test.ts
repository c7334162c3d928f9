// KV failing under the ledger: for each moderation action, each KV call the ledger makes to publish it is failed in
// turn. Whichever fails: the action still answers with the ledger's decision (published: false), no write carries
// a comment the ledger does not hold as approved, and once KV works again the alarm
// brings the published thread and counts to exactly what the ledger derives.
import { describe, expect, it, vi } from "vitest";
import { buildThread } from "../../../worker/publish/thread.ts";
import { putComment } from "../../../worker/publish/kv-store.ts";
import { OTHER_POST, POST } from "../helpers.ts";
import { FakeClock, KvDouble } from "../kv-double.ts";
import { type LedgerRig, pendingRecord, publishedIds, withLedger } from "../ledger-harness.ts";

interface Scenario {
  name: string;
  act: (rig: LedgerRig, ids: Record<string, string>) => Promise<unknown>;
}

const SCENARIOS: Scenario[] = [
  { name: "approving a pending comment", act: (rig, ids) => rig.moderation.setStatus(ids.pending!, "approved") },
  { name: "rejecting a published comment", act: (rig, ids) => rig.moderation.setStatus(ids.parent!, "rejected") },
  { name: "deleting a published comment that has a reply", act: (rig, ids) => rig.moderation.remove(ids.parent!) },
  {
    name: "importing a batch with a reply",
    act: (rig) => {
      const a = pendingRecord({ status: "approved", moderatedAt: "2026-11-02T00:00:00.000Z" });
      const b = pendingRecord({ status: "approved", moderatedAt: "2026-11-02T00:00:00.000Z", parentId: a.id, email: null });
      const c = pendingRecord({ post: OTHER_POST });
      return rig.moderation.importEntries([a, b, c].map((record) => ({ record, emailHash: null })));
    },
  },
  { name: "the forced rebuild", act: (rig) => rig.moderation.republish({ force: true }) },
];

/** A post with a published comment, a published reply to it, a pending comment and one on the other post. */
async function seed(rig: LedgerRig, kv: KvDouble): Promise<Record<string, string>> {
  const parent = pendingRecord();
  const reply = pendingRecord({ parentId: parent.id });
  const pending = pendingRecord();
  const other = pendingRecord({ post: OTHER_POST });
  for (const record of [parent, reply, pending, other]) {
    await putComment(kv.binding, record, null);
    await rig.moderation.ingest({ record, emailHash: null });
  }
  for (const record of [parent, reply, other]) await rig.moderation.setStatus(record.id, "approved");
  rig.clock.advance(5000);
  await rig.runAlarmsUntil(rig.clock.now());
  rig.clock.advance(5000);
  return { parent: parent.id, reply: reply.id, pending: pending.id, other: other.id };
}

/**
 * No write since write number `after` carries a comment the ledger does not hold as approved on that post. (A write
 * KV refused leaves the value before it in place: the action says `published: false`, and the alarm retries.)
 */
function safetyProblems(rig: LedgerRig, kv: KvDouble, after: number): string[] {
  const problems: string[] = [];
  for (const write of kv.writes.filter((w) => w.seq > after && w.key.startsWith("v1:thread:"))) {
    const post = write.key.slice("v1:thread:".length);
    for (const id of publishedIds(write.value)) {
      const record = rig.ledger.get(id);
      if (!record || record.status !== "approved" || record.post !== post) problems.push(`write ${write.seq} to ${post} carries ${id} (${record?.status ?? "deleted"})`);
    }
  }
  return problems;
}

function consistencyProblems(rig: LedgerRig, kv: KvDouble): string[] {
  const problems: string[] = [];
  const counts = JSON.parse(kv.latest("v1:counts") ?? "{}") as Record<string, number>;
  for (const post of [POST, OTHER_POST]) {
    const expected = buildThread(rig.ledger.approvedOn(post), post);
    if ((kv.latest(`v1:thread:${post}`) ?? "[]") !== JSON.stringify(expected)) problems.push(`thread ${post} is not derived from the ledger`);
    if ((counts[post] ?? 0) !== expected.length) problems.push(`count of ${post} is ${counts[post]}`);
  }
  if (rig.ledger.outbox().length > 0) problems.push(`outbox still holds ${rig.ledger.outbox().map((e) => e.key).join()}`);
  return problems;
}

describe.each(SCENARIOS)("KV failing under the ledger during $name", ({ act }) => {
  it("answers with the ledger's decision, publishes nothing ahead of it, and converges once KV is back", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const counting = new KvDouble(new FakeClock());
    const calls = await withLedger(counting.binding, async (rig) => {
      const ids = await seed(rig, counting);
      const before = { ...counting.calls };
      await act(rig, ids);
      return { put: counting.calls.put - before.put, delete: counting.calls.delete - before.delete };
    }, { clock: counting.clock });
    expect(calls.put + calls.delete).toBeGreaterThan(0);

    for (const op of ["put", "delete"] as const) {
      for (let nth = 0; nth < calls[op]; nth++) {
        const where = `${op} #${nth}`;
        const kv = new KvDouble(new FakeClock());
        await withLedger(kv.binding, async (rig) => {
          const ids = await seed(rig, kv);
          let seen = 0;
          let injected = false;
          const start = kv.seq;
          kv.failWhen((called) => called === op && seen++ === nth && (injected = true));
          const outcome = (await act(rig, ids)) as { published?: boolean } | null;
          expect(injected, where).toBe(true);
          if (outcome && "published" in outcome) expect(outcome.published, where).toBe(false);
          expect(safetyProblems(rig, kv, start), where).toEqual([]);
          await rig.runAlarmsUntil(rig.clock.now() + 10_000);
          expect(consistencyProblems(rig, kv), where).toEqual([]);
        }, { clock: kv.clock });
      }
    }
  });
});
