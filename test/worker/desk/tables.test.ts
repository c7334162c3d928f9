// The desk's tables and the rules' verdict, on a real Durable Object's SQLite (ledger-harness.ts).
import { describe, expect, it } from "vitest";
import { type Rule, ruleVerdict } from "../../../worker/desk/tables.ts";
import { withLedger, pendingRecord } from "../ledger-harness.ts";
import { FakeClock, KvDouble } from "../kv-double.ts";

const rule = (kind: Rule["kind"], value: string, action: Rule["action"] = "hold"): Rule =>
  ({ id: `r-${kind}-${value}`, kind, value, action, createdAt: "2026-11-01T00:00:00.000Z", createdBy: "owner" });

describe("ruleVerdict", () => {
  it("fires a word rule case-insensitively on the name, text or website", () => {
    expect(ruleVerdict([rule("word", "Casino")], pendingRecord({ body: "the CASINO" }), null, true)?.action).toBe("hold");
    expect(ruleVerdict([rule("word", "casino")], pendingRecord({ author: "Casino King" }), null, true)?.action).toBe("hold");
    expect(ruleVerdict([rule("word", "casino")], pendingRecord({ body: "Nothing here." }), null, true)).toBeNull();
  });

  it("fires a links rule only above N links", () => {
    const two = pendingRecord({ body: "https://a.example and http://b.example" });
    expect(ruleVerdict([rule("links", "2")], two, null, true)).toBeNull();
    expect(ruleVerdict([rule("links", "1")], two, null, true)?.action).toBe("hold");
    expect(ruleVerdict([rule("links", "2")], { ...two, website: "https://c.example" }, null, true)?.action).toBe("hold");
    const www = pendingRecord({ body: "https://www.a.example and www.b.example" });
    expect(ruleVerdict([rule("links", "2")], www, null, true)).toBeNull();
    expect(ruleVerdict([rule("links", "1")], www, null, true)?.action).toBe("hold");
  });

  it("fires an email rule on the hash, and a first-comment rule only for an email with no approved comment", () => {
    expect(ruleVerdict([rule("email", "h1", "spam")], pendingRecord(), "h1", true)?.action).toBe("spam");
    expect(ruleVerdict([rule("email", "h1", "spam")], pendingRecord(), "h2", true)).toBeNull();
    expect(ruleVerdict([rule("first-comment", "")], pendingRecord(), "h2", false)?.action).toBe("hold");
    expect(ruleVerdict([rule("first-comment", "")], pendingRecord(), "h2", true)).toBeNull();
  });

  it("lets spam win over hold whatever their order", () => {
    const record = pendingRecord({ body: "casino" });
    const rules = [rule("word", "casino", "hold"), rule("first-comment", "", "spam"), rule("word", "casino", "hold")];
    expect(ruleVerdict(rules, record, "h", false)).toMatchObject({ action: "spam", rule: { kind: "first-comment" } });
    expect(ruleVerdict([...rules].reverse(), record, "h", false)?.action).toBe("spam");
  });
});

describe("Moderation.ingest, setStatus and actByLink (with the desk)", () => {
  it("marks an arrival spam by rule, records the rule in the audit log, and publishes nothing", async () => {
    const kv = new KvDouble(new FakeClock());
    await withLedger(kv.binding, async ({ moderation, desk }) => {
      desk.addRule(rule("word", "casino", "spam"));
      const record = pendingRecord({ body: "casino" });
      expect(await moderation.ingest({ record, emailHash: "h" })).toBe("spam");
      expect(desk.auditPage(10, null)[0]).toMatchObject({ moderator: "rules", action: "spam", id: record.id, from: "pending", to: "spam" });
      expect(moderation.ledger.statusCounts()).toMatchObject({ spam: 1, pending: 0 });
    }, { clock: kv.clock });
  });

  it("never lets rules change a record that arrives already moderated (a migration or an adopted record)", async () => {
    const kv = new KvDouble(new FakeClock());
    await withLedger(kv.binding, async ({ moderation, desk }) => {
      desk.addRule(rule("word", "casino", "spam"));
      const record = pendingRecord({ body: "casino", status: "approved", moderatedAt: "2026-11-01T00:00:00.000Z" });
      expect(await moderation.ingest({ record, emailHash: "h" })).toBe("approved");
    }, { clock: kv.clock });
  });

  it("rolls the change back with its audit entry when the audit write fails, so the log never misses an action", async () => {
    const kv = new KvDouble(new FakeClock());
    await withLedger(kv.binding, async ({ moderation, desk, ledger }) => {
      const record = pendingRecord();
      await moderation.ingest({ record, emailHash: "h" });
      const original = desk.auditComment.bind(desk);
      desk.auditComment = () => {
        throw new Error("disk full");
      };
      await expect(moderation.setStatus(record.id, "approved", "Ada")).rejects.toThrow("disk full");
      expect(ledger.get(record.id)?.status).toBe("pending");
      desk.auditComment = original;
    }, { clock: kv.clock });
  });

  it("uses a link id once: the second action by the same link is refused", async () => {
    const kv = new KvDouble(new FakeClock());
    await withLedger(kv.binding, async ({ moderation }) => {
      const record = pendingRecord();
      await moderation.ingest({ record, emailHash: "h" });
      const link = { linkId: "l1", action: "approve" as const, id: record.id, moderator: "owner" };
      expect((await moderation.actByLink(link)).refused).toBeNull();
      expect((await moderation.actByLink({ ...link, action: "reject" })).refused).toBe("used");
      expect(moderation.get(record.id)?.status).toBe("approved");
    }, { clock: kv.clock });
  });
});
