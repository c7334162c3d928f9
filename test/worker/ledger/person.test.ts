// One person's data through the moderator API: an owner exports everything held about an email address, or erases
// it so that nothing of it is left in KV or the ledger and nothing can bring it back (worker/ledger/person.ts).
import { env } from "cloudflare:workers";
import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { hashEmail } from "../../../worker/intake/ids.ts";
import { putComment } from "../../../worker/publish/kv-store.ts";
import { scanComments } from "../../../worker/publish/reconcile.ts";
import type { ErasureReceipt, PersonExport } from "../../../worker/desk-shapes.ts";
import { confirmedSubscriberComment } from "../mail/mail-helpers.ts";
import { admin, call, createApproved, createPending, dumpKv, failingLedger, getThread, POST, submit, TOKEN, validComment } from "../helpers.ts";

afterEach(async () => {
  vi.restoreAllMocks();
  await reset();
});

// Everything that identifies Zelda: none of it may survive her erasure anywhere.
const ZELDA = { author: "Zelda Erasable", email: "Zelda.Erase@example.org", website: "https://zelda-erasable.example" };
const ZELDA_TEXTS: [string, string, string] = ["Zelda's first thought on rota planning", "Zelda's pending aside on shift swaps", "Zelda's reply about ward rounds"];
const ZELDA_EDIT = "Zelda's moderated wording of the rota thought";
const TRACES = [ZELDA.author, ZELDA.email.toLowerCase(), "zelda-erasable.example", ...ZELDA_TEXTS, ZELDA_EDIT];

const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const exportPerson = async (email = ZELDA.email) => (await admin("/person/export", json({ email }))).json() as Promise<PersonExport>;
const erasePerson = async (email = ZELDA.email, vars = {}) => {
  const response = await admin("/person/erase", json({ email }), vars);
  expect(response.status).toBe(200);
  return (await response.json()) as ErasureReceipt;
};
const ledgerExport = async () => (await admin("/export")).text();
const auditLog = async () => (await admin("/audit?limit=500")).text();

/** Zelda's three comments (one approved and edited by a moderator, one pending, one reply), Ben's reply to her, a block rule on her address. */
async function zeldaAndOthers() {
  const ben = await createApproved({ author: "Ben Keeps", email: "ben@example.org", body: "Ben's opening comment" });
  const approved = await createApproved({ ...ZELDA, body: ZELDA_TEXTS[0] });
  expect((await admin(`/comments/${approved}`, { ...json({ body: ZELDA_EDIT }), method: "PATCH" })).status).toBe(200);
  const pending = await createPending({ ...ZELDA, body: ZELDA_TEXTS[1] });
  const reply = await createApproved({ ...ZELDA, body: ZELDA_TEXTS[2], parentId: ben });
  const benReply = await createApproved({ author: "Ben Keeps", email: "ben@example.org", body: "Ben answers Zelda", parentId: approved });
  expect((await admin("/rules", json({ kind: "email", value: ZELDA.email, action: "spam" }))).status).toBe(201);
  return { ben, approved, pending, reply, benReply };
}

describe("POST /api/admin/person/export", () => {
  it("returns every comment of that address with status, text, times, post, parent, name and website, and nobody else's", async () => {
    const { ben, approved, pending, reply } = await zeldaAndOthers();
    const data = await exportPerson(ZELDA.email.toUpperCase());
    expect(data.comments.map((c) => c.id)).toEqual([approved, pending, reply]);
    expect(data.comments[0]).toMatchObject({ post: POST, parentId: null, author: ZELDA.author, website: ZELDA.website, body: ZELDA_EDIT, status: "approved" });
    expect(data.comments[1]).toMatchObject({ body: ZELDA_TEXTS[1], status: "pending", moderatedAt: null });
    expect(data.comments[2]).toMatchObject({ body: ZELDA_TEXTS[2], parentId: ben });
    for (const comment of data.comments) expect(Date.parse(comment.createdAt)).not.toBeNaN();
    expect(JSON.stringify(data)).not.toContain("Ben's opening comment");
    expect(data.subscriptions).toEqual([]);
  });

  it("includes the block rules on the address's hash, the audit entries about the comments by role only, and open edit grants", async () => {
    const { approved, pending } = await zeldaAndOthers();
    const data = await exportPerson();
    expect(data.rules).toEqual([expect.objectContaining({ kind: "email", value: await hashEmail(ZELDA.email, env.IP_HASH_SALT), action: "spam" })]);
    expect(data.audit.map((e) => [e.action, e.id])).toEqual(expect.arrayContaining([["approve", approved], ["edit", approved]]));
    expect(data.audit.every((e) => e.moderator === "moderator" || e.moderator === "author")).toBe(true);
    expect(data.editGrants.map((g) => g.id)).toContain(pending);
  });

  it("is for owners only: a moderator gets 403 and learns nothing", async () => {
    await zeldaAndOthers();
    const added = await admin("/moderators", json({ name: "Mo", role: "moderator" }));
    const { token } = (await added.json()) as { token: string };
    const response = await call("/api/admin/person/export", { ...json({ email: ZELDA.email }), headers: { "content-type": "application/json", authorization: `Bearer ${token}` } });
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain(ZELDA.author);
  });

  it("answers 422 naming the email field when the address is missing or not an address", async () => {
    for (const body of [{}, { email: "not an address" }]) {
      const response = await admin("/person/export", json(body));
      expect(response.status).toBe(422);
      expect(((await response.json()) as { fields: Record<string, string> }).fields).toHaveProperty("email");
    }
  });
});

describe("one person's reply-mail subscription", () => {
  it("is in their export, without the sealed address or its tokens, and gone after their erasure", async () => {
    const address = "Sub.Scriber@example.org";
    const watched = await confirmedSubscriberComment(address, { author: "Sam Subscriber" });
    const before = await exportPerson(address);
    expect(before.subscriptions).toEqual([{ state: "confirmed", createdAt: expect.any(String), confirmedAt: expect.any(String), watching: [watched], mails: 1 }]);
    expect(JSON.stringify(before.subscriptions)).not.toMatch(/example\.org|token/i);
    await erasePerson(address);
    expect((await exportPerson(address)).subscriptions).toEqual([]);
  });
});

describe("POST /api/admin/person/erase", () => {
  it("leaves no address, name or text of theirs in any KV key, the ledger's export or the audit log", async () => {
    await zeldaAndOthers();
    const receipt = await erasePerson();
    expect(receipt).toMatchObject({ comments: 3, kvRecordsDeleted: 3, posts: [POST], auditRowsScrubbed: 1, rulesKept: 1, rulesRemoved: 0, published: true });
    expect(receipt.editGrantsRemoved).toBe(3);
    const everything = [await dumpKv(), await ledgerExport(), await auditLog(), JSON.stringify(await getThread())].join("\n");
    for (const trace of TRACES) expect(everything).not.toContain(trace);
    expect((await exportPerson()).comments).toEqual([]);
  });

  it("keeps other people's replies to an erased comment, shown at the top level of the thread", async () => {
    const { ben, benReply } = await zeldaAndOthers();
    await erasePerson();
    const thread = await getThread();
    expect(thread.comments.map((c) => [c.id, c.parentId])).toEqual([[ben, null], [benReply, null]]);
  });

  it("never lets an import of an export taken before the erasure bring the comments back", async () => {
    const { approved, pending, reply } = await zeldaAndOthers();
    const backup = await ledgerExport();
    await erasePerson();
    const response = await call("/api/admin/import", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` }, body: backup });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ imported: 0, skipped: 5, keptDeleted: 0 });
    const after = await ledgerExport();
    const ids = (JSON.parse(after) as { id: string }[]).map((c) => c.id);
    for (const id of [approved, pending, reply]) expect(ids).not.toContain(id);
    for (const trace of TRACES) expect(after + (await dumpKv())).not.toContain(trace);
  });

  it("erases a submission still waiting in the inbox, so the cron cannot take it in afterwards", async () => {
    const response = await submit(validComment({ ...ZELDA, body: ZELDA_TEXTS[1] }), { vars: { LEDGER: failingLedger() } });
    expect(response.status).toBe(202);
    expect(await dumpKv()).toContain(ZELDA_TEXTS[1]);
    expect((await erasePerson()).comments).toBe(1);
    expect(await dumpKv()).not.toContain(ZELDA_TEXTS[1]);
    expect(await ledgerExport()).toBe("[]");
  });

  it("tombstones a record only KV holds, so the reconcile's walk never adopts it", async () => {
    const record = { id: "01KVONLY000000000000000000", post: POST, parentId: null, ...ZELDA, body: ZELDA_TEXTS[0], createdAt: new Date(Date.now() - 5000).toISOString(), status: "pending" as const, moderatedAt: null };
    await putComment(env.COMMENTS, record, await hashEmail(ZELDA.email, env.IP_HASH_SALT));
    expect((await erasePerson()).comments).toBe(1);
    expect(await dumpKv()).not.toContain(ZELDA.author);
    expect((await scanComments(env, null)).added).toBe(0);
    expect(await ledgerExport()).toBe("[]");
  });

  it("records 'erased a person (N comments)' in the audit log without the address", async () => {
    await zeldaAndOthers();
    await erasePerson();
    const { entries } = (await (await admin("/audit")).json()) as { entries: { action: string; moderator: string; detail?: unknown }[] };
    expect(entries[0]).toMatchObject({ action: "erase-person", moderator: "owner", detail: { comments: 3 } });
    expect(entries.filter((e) => e.action === "erase")).toHaveLength(3);
  });

  it("answers an unknown address with a clean 0-count receipt and changes nothing", async () => {
    const ben = await createApproved({ author: "Ben Keeps", email: "ben@example.org" });
    const before = await ledgerExport();
    const receipt = await erasePerson("nobody@example.org");
    expect(receipt).toEqual({ comments: 0, kvRecordsDeleted: 0, posts: [], auditRowsScrubbed: 0, editGrantsRemoved: 0, rulesKept: 0, rulesRemoved: 0, published: true });
    expect(await ledgerExport()).toBe(before);
    expect((await getThread()).comments.map((c) => c.id)).toEqual([ben]);
  });

  it("advances the publication version (which owes the site a rebuild) when it erased something, and not for an export or an unknown address", async () => {
    await zeldaAndOthers();
    const version = async () => ((await (await admin("/status")).json()) as { version: number }).version;
    const before = await version();
    await exportPerson();
    await erasePerson("nobody@example.org");
    expect(await version()).toBe(before);
    await erasePerson();
    expect(await version()).toBeGreaterThan(before);
  });

  it("is for owners only", async () => {
    const added = await admin("/moderators", json({ name: "Mo", role: "moderator" }));
    const { token } = (await added.json()) as { token: string };
    const id = await createApproved({ ...ZELDA, body: ZELDA_TEXTS[0] });
    const response = await call("/api/admin/person/erase", { ...json({ email: ZELDA.email }), headers: { "content-type": "application/json", authorization: `Bearer ${token}` } });
    expect(response.status).toBe(403);
    expect((await getThread()).comments.map((c) => c.id)).toEqual([id]);
  });
});
