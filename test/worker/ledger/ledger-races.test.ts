// Moderation under production KV's rules, which the local emulator does not have: reads and lists up to 60 s
// stale, one write a second to a key (429 otherwise), and calls that fail. The ledger runs on a real Durable
// Object's SQLite; KV is the double (kv-double.ts), and the test drives the clock and the alarm.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { buildThread } from "../../../worker/publish/thread.ts";
import { scanComments } from "../../../worker/publish/reconcile.ts";
import { putComment } from "../../../worker/publish/kv-store.ts";
import { ledgerOf } from "../../../worker/http/context.ts";
import { OTHER_POST, POST } from "../helpers.ts";
import { FakeClock, KvDouble } from "../kv-double.ts";
import { type LedgerRig, pendingRecord, publishedIds, withLedger } from "../ledger-harness.ts";

const THREAD = `v1:thread:${POST}`;
const STALE = () => 60_000;
/** Lets started work run up to its next held KV write. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function counts(kv: KvDouble): Record<string, number> {
  return JSON.parse(kv.latest("v1:counts") ?? "{}") as Record<string, number>;
}

/** Adds pending comments to the ledger as submissions do; returns their ids. */
async function submitted(rig: LedgerRig, n: number, post = POST): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const record = pendingRecord({ post });
    await rig.moderation.ingest({ record, emailHash: null });
    ids.push(record.id);
  }
  return ids;
}

/** Every write to `key` after write number `after` that carries `id`. */
function writesCarrying(kv: KvDouble, key: string, id: string, after: number): number[] {
  return kv.writes.filter((w) => w.seq > after && w.key === key && publishedIds(w.value).includes(id)).map((w) => w.seq);
}

describe("the ledger under KV's production rules", () => {
  it("publishes all of twelve concurrent approvals on one post within two seconds, with a matching count, never writing a key twice in a second", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const kv = new KvDouble(new FakeClock(), STALE);
    await withLedger(kv.binding, async (rig) => {
      const ids = await submitted(rig, 12);
      const start = rig.clock.now();
      const outcomes = await Promise.all(ids.map((id) => rig.moderation.setStatus(id, "approved")));
      expect(outcomes.every((o) => o?.record.status === "approved")).toBe(true);
      await rig.runAlarmsUntil(start + 2000);
      expect(publishedIds(kv.latest(THREAD)).sort()).toEqual([...ids].sort());
      expect(counts(kv)[POST]).toBe(12);
      for (const key of [THREAD, "v1:counts"]) {
        const times = kv.writes.filter((w) => w.key === key).map((w) => w.at);
        for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
      }
    }, { clock: kv.clock });
  });

  it("lets the action that answers last decide when two moderators race approve against reject, and never publishes a comment after its reject answered", async () => {
    for (const order of ["approve first", "reject first"] as const) {
      const kv = new KvDouble(new FakeClock(), STALE);
      await withLedger(kv.binding, async (rig) => {
        const [other, id] = await submitted(rig, 2);
        await rig.moderation.setStatus(other!, "approved");
        rig.clock.advance(5000);
        const release = kv.holdWrites((key) => key === THREAD);
        let answeredAt = Infinity;
        const approve = () => rig.moderation.setStatus(id!, "approved");
        const reject = () => rig.moderation.setStatus(id!, "rejected").then((outcome) => ((answeredAt = kv.seq), outcome));
        const first = order === "approve first" ? approve() : reject();
        await tick();
        const racing = [first, order === "approve first" ? reject() : approve()];
        release();
        await Promise.all(racing);
        await rig.runAlarmsUntil(rig.clock.now() + 10_000);
        const final = rig.ledger.get(id!)!.status;
        expect(final, order).toBe(order === "approve first" ? "rejected" : "approved");
        expect(publishedIds(kv.latest(THREAD)).includes(id!), order).toBe(final === "approved");
        if (final === "rejected") expect(writesCarrying(kv, THREAD, id!, answeredAt), order).toEqual([]);
      }, { clock: kv.clock });
    }
  });

  it("publishes exactly the approved comments when an import lands while a moderator approves", async () => {
    const kv = new KvDouble(new FakeClock(), STALE);
    await withLedger(kv.binding, async (rig) => {
      const pending = await submitted(rig, 6);
      const imported = Array.from({ length: 40 }, () => {
        const record = pendingRecord({ status: "approved", moderatedAt: "2026-11-02T00:00:00.000Z", email: null });
        return { record, emailHash: null };
      });
      const [importOutcome] = await Promise.all([
        rig.moderation.importEntries(imported),
        ...pending.map((id, i) => rig.moderation.setStatus(id, i % 2 === 0 ? "approved" : "rejected")),
      ]);
      expect(importOutcome).toMatchObject({ imported: 40, skipped: 0, fields: null });
      await rig.runAlarmsUntil(rig.clock.now() + 3000);
      const expected = buildThread(rig.ledger.approvedOn(POST), POST);
      expect(expected).toHaveLength(43);
      expect(kv.latest(THREAD)).toBe(JSON.stringify(expected));
      expect(counts(kv)[POST]).toBe(43);
    }, { clock: kv.clock });
  });

  it("never publishes a comment again once its delete answered, even when a write carrying it was in flight, and erases its KV record", async () => {
    const kv = new KvDouble(new FakeClock(), STALE);
    await withLedger(kv.binding, async (rig) => {
      const [a, b, c] = await submitted(rig, 3);
      await putComment(kv.binding, rig.ledger.get(b!)!, null);
      await rig.moderation.setStatus(a!, "approved");
      await rig.moderation.setStatus(b!, "approved");
      rig.clock.advance(5000);
      const release = kv.holdWrites((key) => key === THREAD);
      const publishing = rig.moderation.setStatus(c!, "approved");
      await tick();
      let answeredAt = Infinity;
      const deleting = rig.moderation.remove(b!).then((outcome) => ((answeredAt = kv.seq), outcome));
      release();
      await Promise.all([publishing, deleting]);
      expect(writesCarrying(kv, THREAD, b!, 0).length).toBeGreaterThan(0);
      await rig.runAlarmsUntil(rig.clock.now() + 10_000);
      expect(writesCarrying(kv, THREAD, b!, answeredAt)).toEqual([]);
      expect(publishedIds(kv.latest(THREAD)).sort()).toEqual([a!, c!].sort());
      expect(kv.latest(`v1:comment:${b}`)).toBeNull();
      expect(rig.ledger.get(b!)).toBeNull();
      expect(await rig.moderation.ingest({ record: pendingRecord({ id: b! }), emailHash: null })).toBe("deleted");
    }, { clock: kv.clock });
  });

  it("publishes every approval made during a KV outage once KV recovers, retrying with backoff", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const kv = new KvDouble(new FakeClock(), STALE);
    await withLedger(kv.binding, async (rig) => {
      const ids = await submitted(rig, 3);
      kv.failWhen((op) => op === "put");
      const outcomes = await Promise.all(ids.map((id) => rig.moderation.setStatus(id, "approved")));
      expect(outcomes.map((o) => o?.published)).toEqual([false, false, false]);
      const start = rig.clock.now();
      await rig.runAlarmsUntil(start + 30_000);
      expect(kv.latest(THREAD)).toBeNull();
      kv.clearFailures();
      await rig.runAlarmsUntil(start + 30_000 + 35_000);
      expect(publishedIds(kv.latest(THREAD)).sort()).toEqual([...ids].sort());
      expect(counts(kv)[POST]).toBe(3);
      expect(rig.ledger.outbox()).toEqual([]);
    }, { clock: kv.clock });
  });

  it("keeps each post's thread to its own comments when approvals on two posts interleave", async () => {
    const kv = new KvDouble(new FakeClock(), STALE);
    await withLedger(kv.binding, async (rig) => {
      const here = await submitted(rig, 5);
      const there = await submitted(rig, 5, OTHER_POST);
      await Promise.all([...here, ...there].map((id) => rig.moderation.setStatus(id, "approved")));
      await rig.runAlarmsUntil(rig.clock.now() + 2000);
      expect(publishedIds(kv.latest(THREAD)).sort()).toEqual([...here].sort());
      expect(publishedIds(kv.latest(`v1:thread:${OTHER_POST}`)).sort()).toEqual([...there].sort());
      expect(counts(kv)).toEqual({ [POST]: 5, [OTHER_POST]: 5 });
    }, { clock: kv.clock });
  });
});

describe("the reconcile under stale lists", () => {
  it("takes in a submission the ledger missed once a list shows it, and only once", async () => {
    const kv = new KvDouble(new FakeClock(), STALE);
    const record = pendingRecord({ id: "missed-by-the-ledger" });
    await putComment(kv.binding, record, null);
    const staleEnv = { ...env, COMMENTS: kv.binding };
    expect(await scanComments(staleEnv, null)).toMatchObject({ scanned: 0, added: 0, cursor: null });
    kv.clock.advance(60_001);
    expect(await scanComments(staleEnv, null)).toMatchObject({ scanned: 1, added: 1, cursor: null });
    expect(await scanComments(staleEnv, null)).toMatchObject({ scanned: 1, added: 0, present: 1 });
    expect(await ledgerOf(env).getComment(record.id)).toEqual({ ...record, email: null });
  });
});
