// "Take it back": the author of a new comment may edit or delete it for 15 minutes with the edit token the
// 202 answer carried. Each test names the threat or promise it covers: someone else's token, a late token, a token
// kept in clear, an edit that sneaks a changed text past moderation.
import { env } from "cloudflare:workers";
import { reset, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { hashEditToken } from "../../../worker/intake/edit-token.ts";
import { admin, call, dumpKv, failingLedger, getThread, POST, randomIp, SITE, submit, submitForm, validComment, type Vars } from "../helpers.ts";

afterEach(() => reset());

interface Sent {
  id: string;
  status: string;
  editToken: string;
  editableUntil: string;
}

/** Submits a comment as the script does and returns the 202 answer, edit token included. */
async function send(overrides = {}, vars: Vars = {}): Promise<Sent> {
  const response = await submit(validComment(overrides), { vars });
  expect(response.status).toBe(202);
  return response.json();
}

function edit(id: string, token: string | null, body: unknown, vars: Vars = {}, origin: string | null = SITE): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json", "cf-connecting-ip": randomIp() };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (origin !== null) headers.origin = origin;
  return call(`/api/comments/${id}`, { method: "PATCH", headers, body: typeof body === "string" ? body : JSON.stringify(body) }, vars);
}

function remove(id: string, token: string | null, vars: Vars = {}, origin: string | null = SITE): Promise<Response> {
  const headers: Record<string, string> = { "cf-connecting-ip": randomIp() };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (origin !== null) headers.origin = origin;
  return call(`/api/comments/${id}`, { method: "DELETE", headers }, vars);
}

async function record(id: string): Promise<{ body: string; status: string } | null> {
  const response = await admin(`/comments/${id}`);
  return response.status === 404 ? null : ((await response.json()) as { comment: { body: string; status: string } }).comment;
}

async function approve(id: string): Promise<void> {
  expect((await admin(`/comments/${id}/approve`, { method: "POST" })).status).toBe(200);
}

describe("POST /api/comments: the edit token", () => {
  it("answers a script's submission with a 43-character edit token and the end of a 15-minute window", async () => {
    const before = Date.now();
    const sent = await send();
    expect(sent.editToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const until = Date.parse(sent.editableUntil);
    expect(until - before).toBeGreaterThanOrEqual(15 * 60_000 - 1000);
    expect(until - Date.now()).toBeLessThanOrEqual(15 * 60_000);
  });

  it("gives every comment its own token", async () => {
    const tokens = new Set(await Promise.all([1, 2, 3].map(async () => (await send()).editToken)));
    expect(tokens.size).toBe(3);
  });

  it("gives the no-JavaScript form no token (it has no storage to keep one in)", async () => {
    const response = await submitForm({ ...validComment() } as Record<string, string>);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).not.toMatch(/token/i);
  });

  it("gives no token when the ledger could not take the comment in (it holds no grant)", async () => {
    const response = await submit(validComment(), { vars: { LEDGER: failingLedger() } });
    expect(response.status).toBe(202);
    expect(Object.keys(await response.json()).sort()).toEqual(["id", "status"]);
  });

  it("never stores the token in clear: not in KV, not in the ledger, not in the export", async () => {
    const sent = await send({ body: "Find the secret." });
    expect(await dumpKv()).not.toContain(sent.editToken);
    const stub = (env.LEDGER as DurableObjectNamespace).getByName("ledger");
    const ledgerDump = await runInDurableObject(stub, (_instance, state) => {
      const tables = state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").toArray();
      return tables.map(({ name }) => JSON.stringify(state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray())).join("\n");
    });
    expect(ledgerDump).toContain(sent.id);
    expect(ledgerDump).not.toContain(sent.editToken);
    expect(ledgerDump).toContain(await hashEditToken(sent.editToken));
    const exported = await (await admin("/export")).text();
    expect(exported).not.toContain(sent.editToken);
    expect(exported).not.toContain(await hashEditToken(sent.editToken));
    expect(Object.keys((JSON.parse(exported) as object[])[0]!).sort()).toEqual(
      ["author", "body", "createdAt", "email", "id", "moderatedAt", "parentId", "post", "status", "website"],
    );
  });
});

describe("PATCH /api/comments/:id", () => {
  it("lets the author change a pending comment's text within the window; it stays pending", async () => {
    const sent = await send({ body: "Frist thought." });
    const response = await edit(sent.id, sent.editToken, { body: "First thought." });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: sent.id, status: "pending", editableUntil: sent.editableUntil });
    expect(await record(sent.id)).toMatchObject({ body: "First thought.", status: "pending" });
  });

  it("keeps the KV record (the submission as stored) in step with the edit", async () => {
    const sent = await send({ body: "Before." });
    await edit(sent.id, sent.editToken, { body: "After." });
    const stored = JSON.parse((await env.COMMENTS.get(`v1:comment:${sent.id}`)) ?? "null") as { body: string; email: string | null };
    expect(stored).toMatchObject({ body: "After.", email: null });
  });

  it("returns an approved comment to the moderation queue and takes it off the thread until it is approved again", async () => {
    const sent = await send({ body: "Approved text." });
    await approve(sent.id);
    expect((await getThread()).comments.map((c) => c.id)).toContain(sent.id);
    const response = await edit(sent.id, sent.editToken, { body: "Sneaky new text." });
    expect(await response.json()).toMatchObject({ status: "pending" });
    expect((await getThread()).comments.map((c) => c.id)).not.toContain(sent.id);
    expect(await record(sent.id)).toMatchObject({ status: "pending", moderatedAt: null, body: "Sneaky new text." });
    await approve(sent.id);
    expect((await getThread()).comments.find((c) => c.id === sent.id)?.body).toBe("Sneaky new text.");
  });

  it("with EDIT_KEEPS_APPROVAL=true keeps an approved comment approved and publishes the new text", async () => {
    const vars = { EDIT_KEEPS_APPROVAL: "true" };
    const sent = await send({ body: "Typo heer." });
    await approve(sent.id);
    const response = await edit(sent.id, sent.editToken, { body: "Typo *here*." }, vars);
    expect(await response.json()).toMatchObject({ status: "approved", published: true });
    const published = (await getThread()).comments.find((c) => c.id === sent.id);
    expect(published?.body).toBe("Typo *here*.");
    expect(JSON.stringify(published?.content)).toContain('"em"');
  });

  it("refuses a wrong token, another comment's token and a malformed one with 403, changing nothing", async () => {
    const mine = await send({ body: "Mine." });
    const theirs = await send({ body: "Theirs." });
    for (const token of [theirs.editToken, "A".repeat(43), "short", mine.editToken.slice(1) + "x"]) {
      const response = await edit(mine.id, token, { body: "Hijacked." });
      expect(response.status, token).toBe(403);
      expect(await response.json()).toMatchObject({ error: "forbidden" });
    }
    expect(await record(mine.id)).toMatchObject({ body: "Mine." });
  });

  it("answers 401 without an Authorization header, and 403 for a comment that never had a token", async () => {
    const sent = await send();
    const response = await edit(sent.id, null, { body: "No token." });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    const formResponse = await submitForm({ ...validComment({ body: "Sent without script." }) } as Record<string, string>);
    expect(formResponse.status).toBe(303);
    const { comments } = (await (await admin("/comments?status=pending")).json()) as { comments: { id: string; body: string }[] };
    const formId = comments.find((c) => c.body === "Sent without script.")!.id;
    expect((await edit(formId, sent.editToken, { body: "Mine now." })).status).toBe(403);
  });

  it("refuses the right token once the window has passed (403 edit_window_closed), changing nothing", async () => {
    const vars = { EDIT_WINDOW_SECONDS: "1" };
    const sent = await send({ body: "Kept as sent." }, vars);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const response = await edit(sent.id, sent.editToken, { body: "Too late." }, vars);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: "edit_window_closed", message: "The 1 seconds for changing this comment have passed." });
    expect(await record(sent.id)).toMatchObject({ body: "Kept as sent." });
  });

  it("answers 422 naming the body for an empty, too long or control-character text (the submission's rules)", async () => {
    const sent = await send({ body: "Fine." });
    for (const body of ["", "   ", "x".repeat(5001), "bell\u0007", 42]) {
      const response = await edit(sent.id, sent.editToken, { body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(Object.keys(((await response.json()) as { fields: object }).fields)).toEqual(["body"]);
    }
    expect((await edit(sent.id, sent.editToken, { body: "x".repeat(5000) })).status).toBe(200);
  });

  it("answers 400 for malformed JSON and 415 for a form body", async () => {
    const sent = await send();
    expect((await edit(sent.id, sent.editToken, '{"body":')).status).toBe(400);
    const form = await call(`/api/comments/${sent.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${sent.editToken}`, "content-type": "application/x-www-form-urlencoded" },
      body: "body=hi",
    });
    expect(form.status).toBe(415);
  });

  it("will not edit a comment a moderator rejected back into the queue (409), but its author may still delete it", async () => {
    const sent = await send();
    expect((await admin(`/comments/${sent.id}/reject`, { method: "POST" })).status).toBe(200);
    const response = await edit(sent.id, sent.editToken, { body: "Please reconsider." });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: "not_editable" });
    expect((await remove(sent.id, sent.editToken)).status).toBe(204);
  });

  it("refuses a foreign origin (403) before looking at the token", async () => {
    const sent = await send({ body: "Mine." });
    const response = await edit(sent.id, sent.editToken, { body: "From elsewhere." }, {}, "https://evil.example");
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: "origin_not_allowed" });
    expect(await record(sent.id)).toMatchObject({ body: "Mine." });
  });

  it("is rate-limited like a submission (429 with Retry-After)", async () => {
    const sent = await send();
    const limited = { COMMENT_RL: { limit: async () => ({ success: false }) } };
    const response = await edit(sent.id, sent.editToken, { body: "Again." }, limited);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("60");
  });
});

describe("DELETE /api/comments/:id", () => {
  it("lets the author withdraw a pending comment: gone from the queue, its KV record erased, a tombstone left", async () => {
    const sent = await send({ body: "Sent in haste." });
    const response = await remove(sent.id, sent.editToken);
    expect(response.status).toBe(204);
    expect(await record(sent.id)).toBeNull();
    expect(await env.COMMENTS.get(`v1:comment:${sent.id}`)).toBeNull();
    const { comments } = (await (await admin("/comments")).json()) as { comments: { id: string }[] };
    expect(comments.map((c) => c.id)).not.toContain(sent.id);
    expect((await remove(sent.id, sent.editToken)).status).toBe(404);
  });

  it("lets the author withdraw an approved comment, which leaves the thread and the counts", async () => {
    const sent = await send();
    await approve(sent.id);
    expect((await getThread()).count).toBe(1);
    expect((await remove(sent.id, sent.editToken)).status).toBe(204);
    expect(await getThread()).toMatchObject({ count: 0, comments: [] });
    const counts = (await (await call(`/api/comments/counts?post=${POST}`)).json()) as { counts: Record<string, number> };
    expect(counts.counts[POST]).toBe(0);
  });

  it("refuses another comment's token and a wrong one with 403, deleting nothing", async () => {
    const mine = await send();
    const theirs = await send();
    for (const token of [theirs.editToken, "B".repeat(43)]) {
      const response = await remove(mine.id, token);
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: "forbidden" });
    }
    expect(await record(mine.id)).not.toBeNull();
  });

  it("refuses the right token after the window (403 edit_window_closed): the comment stays for the moderator", async () => {
    const vars = { EDIT_WINDOW_SECONDS: "1" };
    const sent = await send({}, vars);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const response = await remove(sent.id, sent.editToken, vars);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: "edit_window_closed" });
    expect(await record(sent.id)).not.toBeNull();
  });

  it("answers 404 for an id that cannot be a comment id", async () => {
    const sent = await send();
    expect((await remove("not a valid id!", sent.editToken)).status).toBe(404);
  });
});

describe("an author's edit while a moderator reads the queue", () => {
  const listed = async (id: string) =>
    ((await (await admin("/comments?status=pending")).json()) as { comments: Array<{ id: string; body: string; revision: number }> }).comments.find((c) => c.id === id)!;

  it("cannot slip a new text past a moderator who approves the text they saw: 409, and the comment stays pending", async () => {
    const sent = await send({ body: "A harmless first text." });
    const seen = await listed(sent.id);
    expect(seen).toMatchObject({ body: "A harmless first text.", revision: 0 });
    expect((await edit(sent.id, sent.editToken, { body: "Buy cheap pills at https://spam.example" })).status).toBe(200);

    const refused = await admin(`/comments/${sent.id}/approve?revision=${seen.revision}`, { method: "POST" });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: "conflict", message: expect.stringMatching(/edited after you loaded it/) });
    expect(await record(sent.id)).toMatchObject({ status: "pending" });
    expect((await getThread()).comments.map((c) => c.id)).not.toContain(sent.id);

    const again = await listed(sent.id);
    expect(again).toMatchObject({ body: "Buy cheap pills at https://spam.example", revision: 1 });
    expect((await admin(`/comments/${sent.id}/approve?revision=${again.revision}`, { method: "POST" })).status).toBe(200);
  });

  it("leaves an edited comment out of a bulk approval that named the old revision, and approves the others", async () => {
    const edited = await send({ body: "Harmless." });
    const untouched = await send({ body: "Also harmless." });
    expect((await edit(edited.id, edited.editToken, { body: "Changed behind the moderator's back." })).status).toBe(200);
    const response = await admin("/comments/bulk", {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ action: "approve", ids: [edited.id, untouched.id], revisions: { [edited.id]: 0, [untouched.id]: 0 } }),
    });
    expect(response.status).toBe(200);
    const { results } = (await response.json()) as { results: Array<{ id: string; ok: boolean; error?: string }> };
    expect(results).toEqual([
      { id: edited.id, ok: false, error: expect.stringMatching(/edited after you loaded it/) },
      { id: untouched.id, ok: true, status: "approved" },
    ]);
    expect(await record(edited.id)).toMatchObject({ status: "pending" });
  });

  it("refuses a revision that is not a whole number, naming it", async () => {
    const sent = await send();
    const response = await admin(`/comments/${sent.id}/approve?revision=one`, { method: "POST" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/^revision must be a whole number/);
  });
});
