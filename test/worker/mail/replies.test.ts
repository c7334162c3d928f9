// Reply notifications end to end in workerd: the public form, the admin API's approvals, the ledger's mail outbox and
// the recording transport. What a reader may receive, and when.
import { beforeEach, describe, expect, it } from "vitest";
import { admin, submit, submitForm, validComment } from "../helpers.ts";
import {
  approve, confirmedSubscriberComment, deliver, linkIn, mailTo, newAddress, openLink, pendingReply, recordingMailer, setStatus,
} from "./mail-helpers.ts";

beforeEach(() => recordingMailer.clear());

describe("the subscription's confirmation", () => {
  it("is the only mail an address gets until it is confirmed, and holds none of the reader's text", async () => {
    const address = newAddress("unconfirmed");
    const marker = `unconfirmed-text-${crypto.randomUUID()}`;
    const response = await submit(validComment({ email: address, subscribe: true, body: marker, author: `Name ${marker}` }));
    expect(response.status).toBe(202);
    await deliver();
    const [confirmation, ...others] = mailTo(address);
    expect(others).toEqual([]);
    expect(confirmation!.subject).toMatch(/^Confirm/);
    expect(JSON.stringify(confirmation)).not.toContain(marker);

    // A reply to that comment is approved: still nothing, the address never confirmed.
    const { id } = (await response.json()) as { id: string };
    await approve(id);
    await approve(await pendingReply(id, "An approved reply."));
    await deliver();
    expect(mailTo(address)).toHaveLength(1);
  });

  it("is sent at most once a day, however many comments ask for it", async () => {
    const address = newAddress("twice");
    await submit(validComment({ email: address, subscribe: true }));
    await submit(validComment({ email: address, subscribe: true }));
    await deliver();
    await submit(validComment({ email: address, subscribe: true }));
    await deliver();
    expect(mailTo(address)).toHaveLength(1);
  });

  it("is asked for by the plain form's ticked checkbox (subscribe=on), and not when it is unticked", async () => {
    const ticked = newAddress("form-ticked");
    const unticked = newAddress("form-unticked");
    const { subscribe: _, ...fields } = validComment();
    expect((await submitForm({ ...fields, email: ticked, subscribe: "on" } as Record<string, string>)).status).toBe(303);
    expect((await submitForm({ ...fields, email: unticked } as Record<string, string>)).status).toBe(303);
    await deliver();
    expect(mailTo(ticked)).toHaveLength(1);
    expect(mailTo(unticked)).toEqual([]);
  });

  it("refuses a subscribe value that is neither true nor false, naming the field", async () => {
    const response = await submit(validComment({ subscribe: "yes please" }));
    expect(response.status).toBe(422);
    expect(((await response.json()) as { fields: Record<string, string> }).fields.subscribe).toBe("subscribe must be true or false.");
  });

  it("is confirmed by its page's POST, never by opening the link", async () => {
    const address = newAddress("confirm-get");
    await submit(validComment({ email: address, subscribe: true }));
    await deliver();
    const link = linkIn(mailTo(address)[0]!, "confirm");
    const page = await openLink(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"><button type="submit">Confirm</button></form>');
    // Opened twice (a mail scanner, then the reader): still waiting for the button.
    expect(await (await openLink(link)).text()).toContain("Confirm</button>");
    const confirmed = await openLink(link, "POST");
    expect(await confirmed.text()).toContain("<h1>Confirmed</h1>");
    expect(await (await openLink(link)).text()).toContain("Nothing to confirm");
  });
});

describe("reply notifications", () => {
  it("are never sent when a reply is submitted, only when it is approved", async () => {
    const address = newAddress("subscriber");
    const parent = await confirmedSubscriberComment(address);
    recordingMailer.clear();
    const reply = await pendingReply(parent, "Waiting for a moderator.");
    await deliver();
    expect(mailTo(address)).toEqual([]);
    await approve(reply);
    await deliver();
    expect(mailTo(address)).toHaveLength(1);
  });

  it("send exactly one notification per approved reply, and none when the reply is approved again", async () => {
    const address = newAddress("once");
    const parent = await confirmedSubscriberComment(address);
    recordingMailer.clear();
    const reply = await pendingReply(parent, "The first reply.");
    await approve(reply);
    await deliver();
    await setStatus(reply, "reject");
    await approve(reply);
    await deliver();
    const second = await pendingReply(parent, "The second reply.");
    await approve(second);
    await deliver();
    const mails = mailTo(address);
    expect(mails).toHaveLength(2);
    expect(mails[0]!.subject).toMatch(/^Reply Writer replied to your comment on ".+"$/);
    expect(mails[0]!.text).toContain("The first reply.");
    expect(mails[1]!.text).toContain("The second reply.");
  });

  it("carry both one-click unsubscribe headers, a List-Id, Auto-Submitted, a plain-text part and a visible unsubscribe link", async () => {
    const address = newAddress("headers");
    const parent = await confirmedSubscriberComment(address);
    recordingMailer.clear();
    await approve(await pendingReply(parent, "Headers, please."));
    await deliver();
    const [mail] = mailTo(address);
    expect(mail!.headers["List-Unsubscribe"]).toMatch(/^<http:\/\/localhost:8787\/mail\/unsubscribe\/[A-Za-z0-9_-]{43}>$/);
    expect(mail!.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(mail!.headers["List-Id"]).toBe("Replies to your comments <replies.localhost>");
    expect(mail!.headers["Auto-Submitted"]).toBe("auto-generated");
    const url = mail!.headers["List-Unsubscribe"]!.slice(1, -1);
    expect(mail!.text).toContain(`Unsubscribe: ${url}`);
    expect(mail!.html).toContain(`<a href="${url}">Unsubscribe</a>`);
  });

  it("are not sent for a reply unapproved before the mail went out, so no mail holds text readers cannot see", async () => {
    const address = newAddress("unapproved");
    const parent = await confirmedSubscriberComment(address);
    recordingMailer.clear();
    const hidden = `hidden-${crypto.randomUUID()}`;
    const reply = await pendingReply(parent, hidden);
    await approve(reply);
    await setStatus(reply, "reject");
    await deliver();
    const pendingText = `pending-${crypto.randomUUID()}`;
    await pendingReply(parent, pendingText);
    await deliver();
    expect(mailTo(address)).toEqual([]);
    expect(JSON.stringify(recordingMailer.sent)).not.toContain(hidden);
    expect(JSON.stringify(recordingMailer.sent)).not.toContain(pendingText);
  });

  it("are not sent for the subscriber's own reply in their thread", async () => {
    const address = newAddress("self");
    const parent = await confirmedSubscriberComment(address);
    recordingMailer.clear();
    await approve(await pendingReply(parent, "Answering myself.", address));
    await deliver();
    expect(mailTo(address)).toEqual([]);
  });

  it("include the blog's own reply, approved as it is written", async () => {
    const address = newAddress("blog-reply");
    const parent = await confirmedSubscriberComment(address);
    recordingMailer.clear();
    const response = await admin(`/comments/${parent}/reply`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ body: "Thank you from the team." }) });
    expect(response.status).toBe(201);
    await deliver();
    expect(mailTo(address).map((m) => m.text)).toEqual([expect.stringContaining("Thank you from the team.")]);
  });
});

describe("one-click unsubscribe", () => {
  it("answers a mailbox provider's POST with 200 and no redirect, and stops every later mail", async () => {
    const address = newAddress("one-click");
    const parent = await confirmedSubscriberComment(address);
    recordingMailer.clear();
    await approve(await pendingReply(parent, "Before unsubscribing."));
    await deliver();
    const path = linkIn(mailTo(address)[0]!, "unsubscribe");
    const response = await openLink(path, "POST", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("location")).toBeNull();
    await approve(await pendingReply(parent, "After unsubscribing."));
    await deliver();
    expect(mailTo(address)).toHaveLength(1);
  });

  it("changes nothing on a GET: it shows a page whose button POSTs, and mail keeps coming", async () => {
    const address = newAddress("get-unsubscribe");
    const parent = await confirmedSubscriberComment(address);
    recordingMailer.clear();
    await approve(await pendingReply(parent, "First."));
    await deliver();
    const page = await openLink(linkIn(mailTo(address)[0]!, "unsubscribe"));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"><button type="submit">Unsubscribe</button></form>');
    await approve(await pendingReply(parent, "Second."));
    await deliver();
    expect(mailTo(address)).toHaveLength(2);
  });

  it("answers 404 for a link that is not a token, and 200 for an unknown one, so tokens cannot be probed apart", async () => {
    expect((await openLink("/mail/unsubscribe/not-a-token", "POST")).status).toBe(404);
    expect((await openLink(`/mail/unsubscribe/${"A".repeat(43)}`, "POST")).status).toBe(200);
  });
});

describe("a failing send", () => {
  it("is retried, then shows as failed in the delivery log with the provider's error", async () => {
    const address = newAddress("failing");
    const parent = await confirmedSubscriberComment(address);
    recordingMailer.clear();
    recordingMailer.failWith = `the provider refused ${address}`;
    const reply = await pendingReply(parent, "This one fails.");
    await approve(reply);
    for (let i = 0; i < 6; i++) await deliver();
    recordingMailer.failWith = null;
    await deliver();
    expect(mailTo(address)).toEqual([]);
    const log = (await (await admin("/mail/log")).json()) as { deliveries: Array<{ kind: string; commentId: string | null; state: string; attempts: number; error: string | null }> };
    const line = log.deliveries.find((d) => d.commentId === reply);
    expect(line).toMatchObject({ kind: "reply", state: "failed", attempts: 5, error: "the provider refused [address]" });
    expect(JSON.stringify(log)).not.toContain(address);
  });

  it("shows as sent in the delivery log with the provider's message id once it goes through", async () => {
    const address = newAddress("sent-log");
    const parent = await confirmedSubscriberComment(address);
    const reply = await pendingReply(parent, "Logged.");
    await approve(reply);
    await deliver();
    const log = (await (await admin("/mail/log")).json()) as { deliveries: Array<{ commentId: string | null; state: string; messageId: string | null }> };
    expect(log.deliveries.find((d) => d.commentId === reply)).toMatchObject({ state: "sent", messageId: expect.stringMatching(/^recorded-\d+@test$/) });
  });
});
