// Who is mailed about a comment held for moderation (worker/ledger/object.ts, worker/mail/tables.ts): each active
// moderator who gave an address and kept the mail on, queued in the intake's transaction, never twice. Then the owner's
// and the moderator's own switches (worker/http/routes/admin-mail.ts) and the mail as a moderator gets it in workerd.
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AdminComment } from "../../../worker/comment.ts";
import { hashEmail } from "../../../worker/intake/ids.ts";
import type { ModerationLedger } from "../../../worker/ledger/object.ts";
import { readAddressKeys, sealAddress } from "../../../worker/mail/address-seal.ts";
import { admin, createPending, POST } from "../helpers.ts";
import { deliver, mailTo, newAddress, recordingMailer } from "./mail-helpers.ts";

interface OutboxLine {
  email_hash: string;
  state: string;
}

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

function pendingRecord(): AdminComment {
  return {
    id: `c${crypto.randomUUID().replace(/-/g, "").slice(0, 20)}`, post: POST, parentId: null, author: "Held Writer", email: null,
    website: null, body: "Please read me first.", createdAt: new Date().toISOString(), status: "pending", moderatedAt: null,
  };
}

/**
 * A ledger of its own (no other test's moderators), with moderators made up front: `address` (sealed) or none,
 * `mail` on or off, `revoked` or active. `body` runs with the ledger instance and reads its mail outbox; it should
 * not await between an action and reading what it queued, so the ledger's alarm cannot send in between.
 */
async function withModerators(
  moderators: { name: string; address?: string; mail?: boolean; revoked?: boolean }[],
  body: (ledger: ModerationLedger, outbox: (commentId: string) => OutboxLine[], hashes: Map<string, string>) => void | Promise<void>,
): Promise<void> {
  const keys = (await readAddressKeys(env.MAIL_KEYS))!;
  const hashes = new Map<string, string>();
  const sealed = new Map<string, string>();
  for (const { name, address } of moderators) {
    if (!address) continue;
    hashes.set(name, await hashEmail(address, env.IP_HASH_SALT));
    sealed.set(name, await sealAddress(address, keys));
  }
  const stub = (env.LEDGER as DurableObjectNamespace<ModerationLedger>).getByName(`pending-mail-${crypto.randomUUID()}`);
  await runInDurableObject(stub, async (ledger: ModerationLedger, state) => {
    for (const { name, mail, revoked } of moderators) {
      ledger.addModerator({ name, role: "moderator" }, `hash-of-${name}`, "owner");
      const emailHash = hashes.get(name);
      if (emailHash) ledger.setModeratorAddress(name, { emailHash, sealed: sealed.get(name)! });
      if (mail === false) ledger.setModeratorPendingMail(name, false);
      if (revoked) ledger.revokeModerator(name, "owner");
    }
    const outbox = (commentId: string) => state.storage.sql.exec<{ email_hash: string; state: string }>(
      "SELECT email_hash, state FROM mail_outbox WHERE kind = 'pending' AND comment_id = ? ORDER BY email_hash", commentId,
    ).toArray();
    await body(ledger, outbox, hashes);
  });
}

describe("the mail about a comment held for moderation", () => {
  it("is queued once for each active moderator with an address and the mail on, and for no one else", async () => {
    await withModerators([
      { name: "Ann", address: newAddress("ann") },
      { name: "Bob", address: newAddress("bob") },
      { name: "Cat", address: newAddress("cat"), mail: false },
      { name: "Dan" },
      { name: "Eve", address: newAddress("eve"), revoked: true },
    ], (ledger, outbox, hashes) => {
      const record = pendingRecord();
      void ledger.ingest({ record, emailHash: null }, {});
      expect(outbox(record.id).map((line) => line.email_hash).sort()).toEqual([hashes.get("Ann"), hashes.get("Bob")].sort());
    });
  });

  it("is not queued again when the same comment is taken in again (the inbox's drain after a direct ingest)", async () => {
    await withModerators([{ name: "Ann", address: newAddress("ann") }], async (ledger, outbox) => {
      const record = pendingRecord();
      void ledger.ingest({ record, emailHash: null }, {});
      void ledger.adopt([{ record, emailHash: null }], {});
      void ledger.ingest({ record, emailHash: null }, {});
      expect(outbox(record.id)).toHaveLength(1);
    });
  });

  it("is not queued for a comment that arrives approved or that a rule marks spam", async () => {
    await withModerators([{ name: "Ann", address: newAddress("ann") }], (ledger, outbox) => {
      const approved = { ...pendingRecord(), status: "approved" as const, moderatedAt: new Date().toISOString() };
      void ledger.ingest({ record: approved, emailHash: null }, {});
      ledger.addRule({ id: "r-spam", kind: "word", value: "casino", action: "spam", createdAt: new Date().toISOString(), createdBy: "owner" });
      const spam = { ...pendingRecord(), body: "Cheap casino chips" };
      void ledger.ingest({ record: spam, emailHash: null }, {});
      expect([...outbox(approved.id), ...outbox(spam.id)]).toEqual([]);
    });
  });

  it("still queued is dropped when its moderator is revoked, turns the mail off or removes the address", async () => {
    await withModerators([
      { name: "Ann", address: newAddress("ann") },
      { name: "Bob", address: newAddress("bob") },
      { name: "Cat", address: newAddress("cat") },
      { name: "Dan", address: newAddress("dan") },
    ], (ledger, outbox, hashes) => {
      const record = pendingRecord();
      void ledger.ingest({ record, emailHash: null }, {});
      ledger.revokeModerator("Ann", "owner");
      ledger.setModeratorPendingMail("Bob", false);
      ledger.setModeratorAddress("Cat", null);
      const states = new Map(outbox(record.id).map((line) => [line.email_hash, line.state]));
      expect(states.get(hashes.get("Ann")!)).toBe("dropped");
      expect(states.get(hashes.get("Bob")!)).toBe("dropped");
      expect(states.get(hashes.get("Cat")!)).toBe("dropped");
      expect(states.get(hashes.get("Dan")!)).toBe("queued");
      expect(ledger.moderatorMail("Ann")).toEqual({ address: false, pendingMail: true });
    });
  });
});

describe("the moderators' switches for this mail", () => {
  it("default to on once an address is given, and the signed-in moderator turns theirs off and on", async () => {
    expect(await (await admin("/mail/me/pending-mail", json("PUT", { on: false }))).json()).toMatchObject({ pendingMail: false });
    expect(await (await admin("/mail/me")).json()).toMatchObject({ pendingMail: false });
    expect(await (await admin("/mail/me/pending-mail", json("PUT", { on: true }))).json()).toMatchObject({ pendingMail: true });
  });

  it("refuses a value that is not true or false with a 422 naming the field, changing nothing", async () => {
    const refused = await admin("/mail/me/pending-mail", json("PUT", { on: "off" }));
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ fields: { on: "on must be true or false." } });
    expect(await (await admin("/mail/me")).json()).toMatchObject({ pendingMail: true });
  });

  it("let an owner set a moderator's address and mail, answer 404 for a name that is not an active moderator", async () => {
    const name = `Mod ${crypto.randomUUID().slice(0, 6)}`;
    expect((await admin("/moderators", json("POST", { name }))).status).toBe(201);
    const path = `/mail/moderators/${encodeURIComponent(name)}`;
    expect(await (await admin(path, json("PUT", { email: newAddress("mod") }))).json()).toEqual({ address: true, pendingMail: true });
    expect(await (await admin(`${path}/pending-mail`, json("PUT", { on: false }))).json()).toEqual({ address: true, pendingMail: false });
    expect((await admin(path, { method: "DELETE" })).status).toBe(204);
    expect((await admin("/mail/moderators/nobody-here", json("PUT", { email: newAddress("x") }))).status).toBe(404);
    expect((await admin(`${path}`, json("PUT", { email: "not an address" }))).status).toBe(422);
  });

  it("are an owner's to change for others: a moderator gets 403", async () => {
    const name = `Mod ${crypto.randomUUID().slice(0, 6)}`;
    const { token } = (await (await admin("/moderators", json("POST", { name }))).json()) as { token: string };
    const asModerator = { ...json("PUT", { on: false }), headers: { "content-type": "application/json", authorization: `Bearer ${token}` } };
    const response = await admin(`/mail/moderators/owner/pending-mail`, asModerator);
    expect(response.status).toBe(403);
  });
});

describe("the mail a moderator gets in workerd", () => {
  it("lists the held comment's post, author and text, leads to /admin, says how to stop it, and goes once", async () => {
    recordingMailer.clear();
    const address = newAddress("owner");
    expect((await admin("/mail/me", json("PUT", { email: address }))).status).toBe(200);
    const marker = `held-${crypto.randomUUID()}`;
    await createPending({ body: `Is this allowed? ${marker}`, author: "Quiet Reader" });
    await deliver();
    await deliver();
    const mails = mailTo(address);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.subject).toMatch(/^New comment awaiting moderation on "/);
    expect(mail!.text).toContain(`> Is this allowed? ${marker}`);
    expect(mail!.text).toContain("Quiet Reader commented on");
    // No LINK_SECRET in this ledger's environment: no one-click links, the moderation page instead.
    expect(mail!.text).not.toContain("/admin/act/");
    expect(mail!.text).toContain(`Moderate it: ${env.COMMENTS_API_URL}/admin`);
    expect(mail!.text).toContain("To turn these emails off");
    expect(mail!.headers["Auto-Submitted"]).toBe("auto-generated");
    const log = ((await (await admin("/mail/log")).json()) as { deliveries: { kind: string; state: string; id: string }[] }).deliveries;
    const line = log.find((entry) => entry.kind === "pending" && entry.state === "sent");
    expect(line).toBeDefined();
    expect(JSON.stringify(log)).not.toContain(address);
    await admin("/mail/me", { method: "DELETE" });
  });
});
