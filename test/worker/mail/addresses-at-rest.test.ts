// Addresses at rest: the service keeps a commenter's address only as its salted hash, and a subscriber's sealed
// (AES-GCM under MAIL_KEYS) where mail needs it. A dump of every KV key and of the whole ledger, and the export,
// hold no address in plain text; unsubscribing deletes even the sealed one.
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ledgerOf } from "../../../worker/http/context.ts";
import { Ledger } from "../../../worker/ledger/ledger.ts";
import { hashEmail } from "../../../worker/intake/ids.ts";
import { admin, createPending, dumpKv, POST } from "../helpers.ts";
import { approve, confirmedSubscriberComment, deliver, linkIn, mailTo, newAddress, openLink, pendingReply } from "./mail-helpers.ts";

/** Every row of every table of the ledger's SQLite, as text. */
function dumpLedger(): Promise<string> {
  return runInDurableObject(ledgerOf(env), (_instance, state) => {
    const tables = state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'").toArray();
    return tables.map(({ name }) => JSON.stringify(state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray())).join("\n");
  });
}

describe("addresses at rest", () => {
  it("are in no KV key, no ledger row and no export, for commenters, subscribers and imports alike", async () => {
    const commenter = newAddress("commenter");
    const subscriber = newAddress("subscriber");
    const imported = newAddress("imported");
    await createPending({ email: commenter });
    const parent = await confirmedSubscriberComment(subscriber);
    await approve(await pendingReply(parent, "A reply to mail about."));
    await deliver();
    expect(mailTo(subscriber)).toHaveLength(2);
    const importResponse = await admin("/import", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ post: POST, author: "Old Reader", email: imported, body: "From the old site.", createdAt: "2020-01-01T00:00:00Z" }]),
    });
    expect(importResponse.status).toBe(200);

    const everything = [await dumpKv(), await dumpLedger(), await (await admin("/export")).text()].join("\n");
    for (const address of [commenter, subscriber, imported]) {
      expect(everything).not.toContain(address);
      expect(everything).toContain(await hashEmail(address, env.IP_HASH_SALT));
    }
    // The subscriber's address is there only sealed, under the key MAIL_KEYS names.
    expect(await dumpLedger()).toMatch(/"address":"test1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"/);
  });

  it("lets a moderator still find a commenter's comments by address (through its hash)", async () => {
    const address = newAddress("findable");
    const id = await createPending({ email: address });
    const { comments } = (await (await admin(`/comments?q=${encodeURIComponent(address)}`)).json()) as { comments: { id: string }[] };
    expect(comments.map((c) => c.id)).toEqual([id]);
  });

  it("delete even the sealed address when its owner unsubscribes", async () => {
    const address = newAddress("leaving");
    const parent = await confirmedSubscriberComment(address);
    await approve(await pendingReply(parent, "One reply."));
    await deliver();
    const hash = await hashEmail(address, env.IP_HASH_SALT);
    const sealedOf = () => runInDurableObject(ledgerOf(env), (_i, state) =>
      state.storage.sql.exec<{ address: string | null }>("SELECT address FROM mail_subscribers WHERE email_hash = ?", hash).one().address);
    expect(await sealedOf()).toMatch(/^test1\./);
    await openLink(linkIn(mailTo(address).at(-1)!, "unsubscribe"), "POST");
    expect(await sealedOf()).toBeNull();
  });

  it("are dropped from records stored before records kept only the hash, leaving the hash", async () => {
    const stub = (env.LEDGER as DurableObjectNamespace).getByName(`legacy-${crypto.randomUUID()}`);
    await runInDurableObject(stub, (_instance, state) => {
      const ledger = new Ledger(state.storage.sql, (closure) => state.storage.transactionSync(closure));
      const legacy = { id: "legacy-1", post: POST, parentId: null, author: "Old", email: "old.reader@example.org", website: null, body: "Old.", createdAt: "2020-01-01T00:00:00.000Z", status: "approved", moderatedAt: null };
      state.storage.sql.exec(
        "INSERT INTO comments (id, post, parent_id, status, email_hash, created_at, moderated_at, record) VALUES (?, ?, NULL, 'approved', 'h-old', ?, NULL, ?)",
        legacy.id, POST, legacy.createdAt, JSON.stringify(legacy),
      );
      expect(ledger.dropStoredAddresses()).toEqual(["legacy-1"]);
      expect(ledger.get("legacy-1")).toEqual({ ...legacy, email: null });
      expect(ledger.emailHashOf("legacy-1")).toBe("h-old");
      expect(ledger.dropStoredAddresses()).toEqual([]);
    });
  });
});
