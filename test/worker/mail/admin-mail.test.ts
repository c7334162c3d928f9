// /admin's Mail panel API (worker/http/routes/admin-mail.ts): a moderator's own address, sealed, and the test email
// sent to it at once, with its outcome in the delivery log, which never holds an address.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { ledgerOf } from "../../../worker/http/context.ts";
import { admin, call } from "../helpers.ts";
import { newAddress, recordingMailer } from "./mail-helpers.ts";

interface LogLine {
  id: string;
  kind: string;
  recipient: string;
  state: string;
  attempts: number;
  messageId: string | null;
  error: string | null;
}

const json = (body: unknown): RequestInit => ({ method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function deliveryLog(): Promise<LogLine[]> {
  return ((await (await admin("/mail/log")).json()) as { deliveries: LogLine[] }).deliveries;
}

afterEach(() => recordingMailer.clear());

describe("the moderator's own address", () => {
  it("is kept when valid, and the page learns only that one is set, never the address", async () => {
    const address = newAddress("moderator");
    expect((await admin("/mail/me", json({ email: address }))).status).toBe(200);
    const me = await admin("/mail/me");
    expect(await me.json()).toEqual({ address: true, pendingMail: true });
  });

  it("refuses an invalid address with a 422 naming the email field, keeping the address given before", async () => {
    await admin("/mail/me", json({ email: newAddress("kept") }));
    const refused = await admin("/mail/me", json({ email: "not an address" }));
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ fields: { email: expect.stringContaining("valid email address") } });
    expect(await (await admin("/mail/me")).json()).toEqual({ address: true, pendingMail: true });
  });

  it("is forgotten on DELETE", async () => {
    await admin("/mail/me", json({ email: newAddress("gone") }));
    expect((await admin("/mail/me", { method: "DELETE" })).status).toBe(204);
    expect(await (await admin("/mail/me")).json()).toEqual({ address: false, pendingMail: true });
  });
});

describe("POST /api/admin/mail/test", () => {
  it("says no address is set when the moderator gave none, and sends nothing", async () => {
    await admin("/mail/me", { method: "DELETE" });
    const response = await admin("/mail/test", { method: "POST" });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { message: string }).message).toContain("No email address is set for you");
    expect(recordingMailer.sent).toEqual([]);
  });

  it("sends one test email to the moderator's own address and logs it as sent with the provider's message id", async () => {
    const address = newAddress("tester");
    await admin("/mail/me", json({ email: address }));
    const response = await admin("/mail/test", { method: "POST" });
    expect(response.status).toBe(200);
    const { messageId } = (await response.json()) as { messageId: string };
    expect(recordingMailer.sent.map((m) => m.to)).toEqual([address]);
    expect(recordingMailer.sent[0]!.subject).toBe("Test email from the NHS Leadership Academy blog");
    expect(recordingMailer.sent[0]!.headers["Auto-Submitted"]).toBe("auto-generated");
    const log = await deliveryLog();
    expect(log.find((line) => line.messageId === messageId)).toMatchObject({ kind: "test", state: "sent", attempts: 1, error: null });
    expect(JSON.stringify(log)).not.toContain(address);
  });

  it("answers 502 with the provider's error when the send fails, and logs it as failed without the address", async () => {
    const address = newAddress("refused");
    await admin("/mail/me", json({ email: address }));
    recordingMailer.failWith = `550 mailbox ${address} unavailable`;
    const response = await admin("/mail/test", { method: "POST" });
    expect(response.status).toBe(502);
    expect(((await response.json()) as { message: string }).message).toBe("The test email was not sent: 550 mailbox [address] unavailable");
    const log = await deliveryLog();
    expect(log[0]).toMatchObject({ kind: "test", state: "failed", messageId: null, error: "550 mailbox [address] unavailable" });
    expect(JSON.stringify(log)).not.toContain(address);
  });
});

describe("a revoked moderator's address", () => {
  it("is forgotten with their token, so nothing is mailed to someone who no longer moderates", async () => {
    const added = await admin("/moderators", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Rita Leaving", role: "moderator" }) });
    const { token } = (await added.json()) as { token: string };
    const asRita = (init: RequestInit = {}) => call("/api/admin/mail/me", { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } });
    expect((await asRita(json({ email: newAddress("rita") }))).status).toBe(200);
    expect(await ledgerOf(env).hasModeratorAddress("Rita Leaving")).toBe(true);
    expect((await admin("/moderators/Rita%20Leaving", { method: "DELETE" })).status).toBe(204);
    expect(await ledgerOf(env).hasModeratorAddress("Rita Leaving")).toBe(false);
  });
});
