// The mail outbox's sender (worker/mail/sender.ts) on a real Durable Object's SQLite, with a clock the test moves:
// merging close replies, the per-recipient gap, the daily limit and the backoff between retries.
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AdminComment } from "../../../worker/comment.ts";
import { readAddressKeys, sealAddress } from "../../../worker/mail/address-seal.ts";
import type { MailMessage } from "../../../worker/mail/message.ts";
import { deliverDue, retryDelay } from "../../../worker/mail/sender.ts";
import { MAIL_MAX_ATTEMPTS, type MailSettings } from "../../../worker/mail/settings.ts";
import { MailStore } from "../../../worker/mail/tables.ts";
import { FakeClock } from "../kv-double.ts";
import { POST } from "../helpers.ts";

const MINUTE = 60_000;
const SETTINGS: MailSettings = {
  from: "comments@example.org",
  links: { serviceUrl: "https://comments.example.org", siteUrl: "https://blog.example.org" },
  dailyLimit: 3,
  recipientGapMs: 15 * MINUTE,
  retryBaseMs: MINUTE,
  manageSecret: "sender-test-manage-secret",
};

interface Rig {
  store: MailStore;
  clock: FakeClock;
  sent: MailMessage[];
  comments: Map<string, AdminComment>;
  /** Makes `address` a confirmed subscriber watching comment `parentId`; returns its hash. */
  subscribe(address: string, parentId: string): Promise<string>;
  /** An approved reply to `parentId`, queued as the approval would. */
  approveReply(parentId: string, body: string): string;
  pass(): ReturnType<typeof deliverDue>;
  failing: { message: string | null };
  /** The delivery log's line about this reply. */
  line(replyId: string): ReturnType<MailStore["deliveryLog"]>[number] | undefined;
}

function withSender(body: (rig: Rig) => Promise<void>): Promise<void> {
  const stub = (env.LEDGER as DurableObjectNamespace).getByName(`mail-${crypto.randomUUID()}`);
  return runInDurableObject(stub, async (_instance, state) => {
    const store = new MailStore(state.storage.sql, (closure) => state.storage.transactionSync(closure));
    const keys = (await readAddressKeys(env.MAIL_KEYS))!;
    const clock = new FakeClock();
    const sent: MailMessage[] = [];
    const comments = new Map<string, AdminComment>();
    const failing = { message: null as string | null };
    let n = 0;
    const rig: Rig = {
      store, clock, sent, comments, failing,
      line: (replyId) => store.deliveryLog(100).find((entry) => entry.commentId === replyId),
      async subscribe(address, parentId) {
        const hash = `hash-${address}`;
        store.watch(parentId, hash, await sealAddress(address, keys), clock.now());
        const token = store.subscriber(hash)!.confirmToken!;
        store.confirm(token, clock.now());
        store.drop(store.claimDue(clock.now(), 100).filter((m) => m.kind === "confirm").map((m) => m.id), "test: confirmed by hand", clock.now());
        return hash;
      },
      approveReply(parentId, text) {
        const id = `reply-${++n}`;
        comments.set(id, {
          id, post: POST, parentId, author: "Replier", email: null, website: null, body: text,
          createdAt: new Date(clock.now()).toISOString(), status: "approved", moderatedAt: new Date(clock.now()).toISOString(),
        });
        store.queueReplyNotice(id, parentId, null, clock.now());
        return id;
      },
      pass: () => deliverDue({
        store, keys, settings: SETTINGS, now: clock.now, comment: (id) => comments.get(id) ?? null,
        // No moderators here: their mail is tested in moderator-mail.test.ts.
        moderatorAt: () => null, actionUrls: async () => null,
        mailer: {
          async send(message) {
            if (failing.message) throw new Error(failing.message);
            sent.push(message);
            return { messageId: `m${sent.length}` };
          },
        },
      }),
    };
    await body(rig);
  });
}

describe("the mail sender", () => {
  it("merges replies that arrive within the gap into one message, sent when the gap is over", async () => {
    await withSender(async ({ subscribe, approveReply, pass, sent, clock }) => {
      await subscribe("ada@example.org", "parent");
      approveReply("parent", "First reply.");
      await pass();
      approveReply("parent", "Second reply.");
      clock.advance(MINUTE);
      approveReply("parent", "Third reply.");
      await pass();
      expect(sent).toHaveLength(1);
      clock.advance(14 * MINUTE);
      await pass();
      expect(sent).toHaveLength(2);
      expect(sent[1]!.subject).toBe("2 new replies to your comments on the NHS Leadership Academy blog");
      expect(sent[1]!.text).toContain("Second reply.");
      expect(sent[1]!.text).toContain("Third reply.");
    });
  });

  it("sends the first notification at once after the confirmation: the gap is between notifications", async () => {
    await withSender(async ({ store, clock, pass, sent, approveReply }) => {
      const keys = (await readAddressKeys(env.MAIL_KEYS))!;
      store.watch("parent", "hash-new", await sealAddress("new@example.org", keys), clock.now());
      await pass();
      expect(sent.map((m) => m.subject)).toEqual([expect.stringMatching(/^Confirm/)]);
      store.confirm(store.subscriber("hash-new")!.confirmToken!, clock.now());
      clock.advance(MINUTE);
      approveReply("parent", "Right after confirming.");
      await pass();
      expect(sent).toHaveLength(2);
    });
  });

  it("sends no more than the daily limit, and the rest the next day", async () => {
    await withSender(async ({ subscribe, approveReply, pass, sent, clock, store }) => {
      for (const name of ["a", "b", "c", "d"]) await subscribe(`${name}@example.org`, `parent-${name}`);
      for (const name of ["a", "b", "c", "d"]) approveReply(`parent-${name}`, `Reply for ${name}.`);
      const outcome = await pass();
      expect(sent).toHaveLength(3);
      expect(outcome.postponed).toBe(1);
      clock.advance(24 * 60 * MINUTE);
      expect(store.nextDue()).toBeLessThanOrEqual(clock.now());
      await pass();
      expect(sent.map((m) => m.to)).toEqual(["a@example.org", "b@example.org", "c@example.org", "d@example.org"]);
    });
  });

  it("waits longer before each retry, and marks the mail failed after the last attempt", async () => {
    await withSender(async ({ subscribe, approveReply, pass, sent, clock, failing, line }) => {
      await subscribe("flaky@example.org", "parent");
      const id = approveReply("parent", "Try, try again.");
      failing.message = "451 try later";
      for (let attempt = 1; attempt < MAIL_MAX_ATTEMPTS; attempt++) {
        await pass();
        expect(line(id)).toMatchObject({ state: "retrying", attempts: attempt, error: "451 try later" });
        clock.advance(retryDelay(attempt, SETTINGS.retryBaseMs) - 1);
        expect((await pass()).failed).toBe(0);
        clock.advance(1);
      }
      await pass();
      expect(line(id)).toMatchObject({ state: "failed", attempts: MAIL_MAX_ATTEMPTS });
      failing.message = null;
      clock.advance(24 * 60 * MINUTE);
      await pass();
      expect(sent).toEqual([]);
    });
  });

  it("drops a notification whose reply is no longer approved at send time", async () => {
    await withSender(async ({ subscribe, approveReply, pass, sent, comments, line }) => {
      await subscribe("ada@example.org", "parent");
      const id = approveReply("parent", "Soon rejected.");
      comments.set(id, { ...comments.get(id)!, status: "rejected" });
      expect(await pass()).toMatchObject({ sent: 0, dropped: 1 });
      expect(sent).toEqual([]);
      expect(line(id)).toMatchObject({ state: "dropped" });
    });
  });

  it("never sends one mail twice when two passes overlap", async () => {
    await withSender(async ({ subscribe, approveReply, pass, sent }) => {
      await subscribe("ada@example.org", "parent");
      approveReply("parent", "Only once.");
      await Promise.all([pass(), pass()]);
      expect(sent).toHaveLength(1);
    });
  });
});
