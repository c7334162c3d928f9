// The moderators' mail about comments held for moderation, as the sender (worker/mail/sender.ts) builds it on a real
// Durable Object's SQLite with a clock the test moves: comments queued together go in one message, each with its own
// signed one-click links made out to that moderator; comments moderated meanwhile are left out; the gap is kept.
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AdminComment } from "../../../worker/comment.ts";
import { buildActionUrls, verifyLink } from "../../../worker/desk/action-links.ts";
import { readAddressKeys, sealAddress } from "../../../worker/mail/address-seal.ts";
import type { MailMessage } from "../../../worker/mail/message.ts";
import { deliverDue } from "../../../worker/mail/sender.ts";
import type { MailSettings } from "../../../worker/mail/settings.ts";
import { MailStore } from "../../../worker/mail/tables.ts";
import { QUOTE_MAX } from "../../../worker/mail/templates.ts";
import { findPost } from "../../../worker/intake/posts.ts";
import { FakeClock } from "../kv-double.ts";
import { POST } from "../helpers.ts";

const MINUTE = 60_000;
const SECRET = "moderator-mail-link-secret";
const MODERATOR = "Grace";
const ADDRESS = "grace@example.org";
const HASH = "hash-grace";
const SETTINGS: MailSettings = {
  from: "comments@example.org",
  links: { serviceUrl: "https://comments.example.org", siteUrl: "https://blog.example.org" },
  dailyLimit: 50,
  recipientGapMs: 15 * MINUTE,
  retryBaseMs: MINUTE,
  manageSecret: null,
};

interface Rig {
  store: MailStore;
  clock: FakeClock;
  sent: MailMessage[];
  comments: Map<string, AdminComment>;
  /** A new comment held for moderation, queued for the moderator as the intake does; returns its id. */
  hold(body: string, author?: string): string;
  moderate(id: string, status: "approved" | "rejected" | "spam"): void;
  pass(): ReturnType<typeof deliverDue>;
  /** The outbox line about this comment. */
  line(id: string): ReturnType<MailStore["deliveryLog"]>[number] | undefined;
}

/** A sender over a fresh ledger's mail tables; `links` false is a service without LINK_SECRET. */
function withSender(body: (rig: Rig) => Promise<void>, { links = true, moderator = true } = {}): Promise<void> {
  const stub = (env.LEDGER as DurableObjectNamespace).getByName(`moderator-mail-${crypto.randomUUID()}`);
  return runInDurableObject(stub, async (_instance, state) => {
    const store = new MailStore(state.storage.sql, (closure) => state.storage.transactionSync(closure));
    const keys = (await readAddressKeys(env.MAIL_KEYS))!;
    const sealed = await sealAddress(ADDRESS, keys);
    const clock = new FakeClock();
    const sent: MailMessage[] = [];
    const comments = new Map<string, AdminComment>();
    let n = 0;
    const linkEnv = { LINK_SECRET: SECRET, MODERATOR_TOKEN: "token" } as unknown as Env;
    const rig: Rig = {
      store, clock, sent, comments,
      line: (id) => store.deliveryLog(100).find((entry) => entry.commentId === id),
      hold(text, author = "Held Writer") {
        const id = `held-${++n}`;
        comments.set(id, {
          id, post: POST, parentId: null, author, email: null, website: null, body: text,
          createdAt: new Date(clock.now()).toISOString(), status: "pending", moderatedAt: null,
        });
        store.queuePendingNotice(id, HASH, clock.now());
        return id;
      },
      moderate(id, status) {
        comments.set(id, { ...comments.get(id)!, status, moderatedAt: new Date(clock.now()).toISOString() });
      },
      pass: () => deliverDue({
        store, keys, settings: SETTINGS, now: clock.now, comment: (id) => comments.get(id) ?? null,
        mailer: { async send(message) { sent.push(message); return { messageId: `m${sent.length}` }; } },
        moderatorAt: (emailHash) => (moderator && emailHash === HASH ? { name: MODERATOR, sealed } : null),
        actionUrls: (id, name) => (links ? buildActionUrls(linkEnv, SETTINGS.links.serviceUrl, id, clock.now(), name) : Promise.resolve(null)),
      }),
    };
    await body(rig);
  });
}

/** The one-click links in a message's text, in order, as `[action, token]`. */
function linksIn(message: MailMessage): [string, string][] {
  return [...message.text.matchAll(/^(Approve|Reject|Spam): https:\/\/comments\.example\.org\/admin\/act\/(\S+)$/gm)].map((m) => [m[1]!, m[2]!]);
}

describe("the moderator's mail about held comments", () => {
  it("lists three comments queued together in one message, each with its own working links made out to the moderator", async () => {
    await withSender(async ({ hold, pass, sent }) => {
      const ids = [hold("First held comment.", "Ann"), hold("Second held comment.", "Ben"), hold("Third held comment.", "Cy")];
      await pass();
      expect(sent).toHaveLength(1);
      const [mail] = sent;
      expect(mail!.to).toBe(ADDRESS);
      expect(mail!.subject).toBe("3 new comments awaiting moderation on the NHS Leadership Academy blog");
      expect(mail!.headers["Auto-Submitted"]).toBe("auto-generated");
      const title = findPost(POST)!.title;
      for (const [author, text] of [["Ann", "First"], ["Ben", "Second"], ["Cy", "Third"]]) {
        expect(mail!.text).toContain(`${author} commented on "${title}":\n\n> ${text} held comment.`);
      }
      const links = linksIn(mail!);
      expect(links.map(([action]) => action)).toEqual(["Approve", "Reject", "Spam", "Approve", "Reject", "Spam", "Approve", "Reject", "Spam"]);
      const claims = await Promise.all(links.map(([, token]) => verifyLink(token, SECRET)));
      expect(claims.map((c) => [c?.id, c?.action, c?.moderator])).toEqual(ids.flatMap((id) => [
        [id, "approve", MODERATOR], [id, "reject", MODERATOR], [id, "spam", MODERATOR],
      ]));
      // One decision per comment: the three links of a comment share a link id, each comment has its own.
      expect(new Set(claims.map((c) => c!.link)).size).toBe(3);
      expect(mail!.html).toContain('<a href="https://comments.example.org/admin/act/');
      expect(mail!.text).toContain("All comments waiting for moderation: https://comments.example.org/admin");
      expect(mail!.text).toContain(`npm run moderate -- moderators mail ${MODERATOR} off`);
    });
  });

  it("leaves out a comment approved before the send, and sends nothing when every comment was moderated", async () => {
    await withSender(async ({ hold, moderate, pass, sent, line }) => {
      const kept = hold("Still waiting.");
      const approved = hold("Approved meanwhile.");
      moderate(approved, "approved");
      await pass();
      expect(sent).toHaveLength(1);
      expect(sent[0]!.subject).toMatch(/^New comment awaiting moderation on "/);
      expect(sent[0]!.text).toContain("Still waiting.");
      expect(sent[0]!.text).not.toContain("Approved meanwhile.");
      expect(line(kept)?.state).toBe("sent");
      expect(line(approved)).toMatchObject({ state: "dropped", error: "the comment is no longer pending" });
    });
    await withSender(async ({ hold, moderate, pass, sent, line }) => {
      const ids = [hold("Rejected meanwhile."), hold("Spam meanwhile.")];
      moderate(ids[0]!, "rejected");
      moderate(ids[1]!, "spam");
      const outcome = await pass();
      expect(sent).toEqual([]);
      expect(outcome.dropped).toBe(2);
      expect(ids.map((id) => line(id)?.state)).toEqual(["dropped", "dropped"]);
    });
  });

  it("keeps the gap after a mail: comments held meanwhile come together in the next one", async () => {
    await withSender(async ({ hold, pass, sent, clock }) => {
      hold("The first.");
      await pass();
      hold("The second.");
      clock.advance(MINUTE);
      hold("The third.");
      await pass();
      expect(sent).toHaveLength(1);
      clock.advance(14 * MINUTE);
      await pass();
      expect(sent).toHaveLength(2);
      expect(sent[1]!.text).toContain("The second.");
      expect(sent[1]!.text).toContain("The third.");
    });
  });

  it("has no one-click links without LINK_SECRET, only the way to the moderation page", async () => {
    await withSender(async ({ hold, pass, sent }) => {
      hold("No links for me.");
      await pass();
      expect(linksIn(sent[0]!)).toEqual([]);
      expect(sent[0]!.text).toContain("Moderate it: https://comments.example.org/admin");
    }, { links: false });
  });

  it("quotes at most QUOTE_MAX characters of a long comment", async () => {
    await withSender(async ({ hold, pass, sent }) => {
      hold(`${"a".repeat(QUOTE_MAX)}${"b".repeat(50)}`);
      await pass();
      expect(sent[0]!.text).toContain(`> ${"a".repeat(QUOTE_MAX)}…`);
      expect(sent[0]!.text).not.toContain(`${"a".repeat(QUOTE_MAX)}b`);
    });
  });

  it("is dropped at send time when no active moderator wants mail at that address any more", async () => {
    await withSender(async ({ hold, pass, sent, line }) => {
      const id = hold("Nobody to tell.");
      await pass();
      expect(sent).toEqual([]);
      expect(line(id)).toMatchObject({ state: "dropped", error: "no active moderator wants this mail at this address" });
    }, { moderator: false });
  });
});
