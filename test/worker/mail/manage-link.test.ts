// The "manage my comments" link (worker/mail/manage-link.ts): every mail's footer carries one, signed at send time for
// its recipient's hash, and a token is read back only when its signature, its purpose and its expiry hold.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { hashEmail } from "../../../worker/intake/ids.ts";
import { MANAGE_LINK_TTL_DAYS, readManageToken, signManageToken } from "../../../worker/mail/manage-link.ts";
import type { MailMessage } from "../../../worker/mail/message.ts";
import { confirmationMail, manageFooter, replyMail, testMail } from "../../../worker/mail/templates.ts";
import { pendingCommentsMail } from "../../../worker/mail/moderator-mail.ts";
import { signLink } from "../../../worker/desk/action-links.ts";
import { admin, createPending } from "../helpers.ts";
import { approve, confirmedSubscriberComment, deliver, mailTo, newAddress, pendingReply, recordingMailer } from "./mail-helpers.ts";

afterEach(() => recordingMailer.clear());

const DAY = 24 * 60 * 60 * 1000;
const SECRET = env.MANAGE_SECRET!;
const hashOf = (address: string) => hashEmail(address, env.IP_HASH_SALT);

/** The token of the manage link in a message's text part and in its HTML part (they must be the same link). */
function manageTokenIn(message: MailMessage): string {
  const inText = /https?:\/\/\S+\/mail\/manage\/([A-Za-z0-9_.-]+)/.exec(message.text)?.[1];
  const inHtml = /href="https?:\/\/[^"]+\/mail\/manage\/([A-Za-z0-9_.-]+)"/.exec(message.html ?? "")?.[1];
  if (!inText) throw new Error(`no manage link in the text of "${message.subject}"`);
  expect(inHtml).toBe(inText);
  return inText;
}

describe("the manage link in every mail's footer", () => {
  it("is in the confirmation, the reply notification, the moderator's mail about a held comment and their test email, and names each one's recipient", async () => {
    const subscriber = newAddress("footer");
    const parent = await confirmedSubscriberComment(subscriber);
    await approve(await pendingReply(parent, "A reply that is approved."));
    await deliver();
    const [confirmation, reply] = mailTo(subscriber);
    expect(confirmation!.subject).toMatch(/^Confirm/);
    expect(reply!.subject).toContain("replied to your comment");

    const moderator = newAddress("moderator");
    await admin("/mail/me", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: moderator }) });
    expect((await admin("/mail/test", { method: "POST" })).status).toBe(200);
    await createPending({ body: "A comment held for moderation." });
    await deliver();
    const test = mailTo(moderator).find((m) => m.subject.startsWith("Test email"));
    const held = mailTo(moderator).find((m) => m.subject.includes("awaiting moderation"));

    for (const [message, address] of [[confirmation!, subscriber], [reply!, subscriber], [test!, moderator], [held!, moderator]] as const) {
      const read = await readManageToken(manageTokenIn(message), SECRET, Date.now());
      expect(read, message.subject).toEqual({ emailHash: await hashOf(address) });
    }
  });

  it("never holds the address itself", async () => {
    const subscriber = newAddress("no-address-in-url");
    await confirmedSubscriberComment(subscriber);
    const token = manageTokenIn(mailTo(subscriber)[0]!);
    const claims = atob(token.split(".")[0]!.replace(/-/g, "+").replace(/_/g, "/"));
    expect(claims).not.toContain(subscriber);
    expect(claims).not.toContain("example.org");
  });

  it("is signed when the mail is sent, good for 30 days from then", async () => {
    const subscriber = newAddress("fresh");
    const before = Date.now();
    await confirmedSubscriberComment(subscriber);
    const token = manageTokenIn(mailTo(subscriber)[0]!);
    expect(await readManageToken(token, SECRET, before + (MANAGE_LINK_TTL_DAYS - 1) * DAY)).not.toBe("expired");
    expect(await readManageToken(token, SECRET, Date.now() + MANAGE_LINK_TTL_DAYS * DAY)).toBe("expired");
  });

  it("is left out of every template when there is no link (no MANAGE_SECRET)", () => {
    const links = { serviceUrl: "https://comments.example", siteUrl: "https://blog.example" };
    const reply = { id: "01J00000000000000000000000", author: "Ben", body: "Hello", postTitle: "A post", postUrl: "/posts/a/" };
    const messages = [
      confirmationMail("a@example.org", "from@example.org", links, "t".repeat(43), null),
      replyMail("a@example.org", "from@example.org", links, "u".repeat(43), [reply], null),
      testMail("a@example.org", "from@example.org", "owner", null),
      pendingCommentsMail("a@example.org", "from@example.org", links, "owner", [{ id: reply.id, author: "Ben", body: "Hi", postTitle: "A post", actions: null }], null),
    ];
    for (const message of messages) expect(`${message.text}${message.html}`).not.toContain("/mail/manage/");
    expect(manageFooter(null)).toEqual({ text: "", html: "" });
  });
});

describe("readManageToken", () => {
  it("reads back the hash a token was signed for", async () => {
    const hash = await hashOf("reader@example.org");
    expect(await readManageToken(await signManageToken(hash, SECRET, Date.now()), SECRET, Date.now())).toEqual({ emailHash: hash });
  });

  it("refuses a token whose claims were changed to name another person, or signed under another secret", async () => {
    const [mine, theirs] = [await hashOf("mine@example.org"), await hashOf("theirs@example.org")];
    const token = await signManageToken(mine, SECRET, Date.now());
    const [, signature] = token.split(".");
    const [forged] = (await signManageToken(theirs, SECRET, Date.now())).split(".");
    expect(await readManageToken(`${forged}.${signature}`, SECRET, Date.now())).toBeNull();
    expect(await readManageToken(await signManageToken(mine, "another-secret", Date.now()), SECRET, Date.now())).toBeNull();
    expect(await readManageToken(`${token}x`, SECRET, Date.now())).toBeNull();
  });

  it("refuses a token signed with the same secret for another purpose (a moderator's one-click link)", async () => {
    const action = await signLink({ action: "approve", id: "01J00000000000000000000000", moderator: "owner", exp: Date.now() + DAY, link: "l" }, SECRET);
    expect(await readManageToken(action, SECRET, Date.now())).toBeNull();
  });

  it("says a well-signed token is expired from its expiry on", async () => {
    const hash = await hashOf("late@example.org");
    const signedAt = Date.now() - MANAGE_LINK_TTL_DAYS * DAY;
    expect(await readManageToken(await signManageToken(hash, SECRET, signedAt), SECRET, Date.now())).toBe("expired");
  });
});
