// The "manage my comments" page (worker/http/routes/manage.ts) opened from a mail's signed link: it lists exactly the
// recipient's comments, gives their data as JSON, deletes one (the author's delete) or erases everything (an owner's
// `person erase`, audited as the commenter's own). A GET changes nothing; a bad or expired link changes nothing.
import { env } from "cloudflare:workers";
import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import type { PersonExport } from "../../../worker/desk-shapes.ts";
import { hashEmail } from "../../../worker/intake/ids.ts";
import { MANAGE_LINK_TTL_DAYS, signManageToken } from "../../../worker/mail/manage-link.ts";
import { admin, call, createApproved, createPending, dumpKv, getThread, POST, randomIp } from "../helpers.ts";
import { confirmedSubscriberComment, recordingMailer } from "./mail-helpers.ts";

afterEach(async () => {
  recordingMailer.clear();
  await reset();
});

const DAY = 24 * 60 * 60 * 1000;
// Everything that identifies Zelda: none of it may survive her erasure anywhere.
const ZELDA = { author: "Zelda Selfservice", email: "Zelda.Self@example.org", website: "https://zelda-self.example" };
const TEXTS = ["Zelda's published thought on rota planning", "Zelda's pending aside on shift swaps", "Zelda's rejected rant about car parks"] as const;
const TRACES = [ZELDA.author, ZELDA.email.toLowerCase(), "zelda-self.example", ...TEXTS];

/** The path of Zelda's (or another address's) manage page, signed at `at`. */
async function managePath(email = ZELDA.email, at = Date.now()): Promise<string> {
  return `/mail/manage/${await signManageToken(await hashEmail(email, env.IP_HASH_SALT), env.MANAGE_SECRET!, at)}`;
}

/** A visit from its own client address, so the tests do not share one rate-limit budget. */
const open = (path: string, method: "GET" | "POST" = "GET", ip = randomIp()) => call(path, { method, redirect: "manual", headers: { "cf-connecting-ip": ip } });
const ledgerExport = async () => (await admin("/export")).text();
const version = async () => ((await (await admin("/status")).json()) as { version: number }).version;
/** What a visit could change: every KV key and the ledger's export. */
const everything = async () => `${await dumpKv()}\n${await ledgerExport()}`;

/** Zelda's three comments (published, pending, rejected) and Ben's comment on the same post. */
async function zeldaAndBen() {
  const ben = await createApproved({ author: "Ben Keeps", email: "ben@example.org", body: "Ben's own comment" });
  const published = await createApproved({ ...ZELDA, body: TEXTS[0] });
  const pending = await createPending({ ...ZELDA, body: TEXTS[1] });
  const rejected = await createPending({ ...ZELDA, body: TEXTS[2] });
  expect((await admin(`/comments/${rejected}/reject`, { method: "POST" })).status).toBe(200);
  return { ben, published, pending, rejected };
}

describe("GET /mail/manage/:token", () => {
  it("lists exactly the comments written with that address, with the post, the date, the status in words and an excerpt", async () => {
    const { ben, published, pending, rejected } = await zeldaAndBen();
    const response = await open(await managePath(ZELDA.email.toUpperCase()));
    expect(response.status).toBe(200);
    const page = await response.text();
    for (const id of [published, pending, rejected]) expect(page).toContain(`/delete/${id}"`);
    expect(page).not.toContain(ben);
    expect(page).not.toContain("Ben's own comment");
    for (const text of TEXTS) expect(page).toContain(text.replace("'", "&#39;"));
    expect(page).toMatch(/Status: <strong>Published<\/strong>[\s\S]*Status: <strong>Awaiting moderation<\/strong>[\s\S]*Status: <strong>Not published<\/strong>/);
    expect(page).toContain(`href="http://localhost:8080/posts/${POST}/"`);
    expect(page).toMatch(/<time datetime="[^"]+">\d{1,2} [A-Z][a-z]+ \d{4}<\/time>/);
    expect(page).toContain("3 comments");
  });

  it("is a private page: not stored by any cache, not indexed, no script, no Referer leaving it", async () => {
    await zeldaAndBen();
    const response = await open(await managePath());
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    const page = await response.text();
    expect(page).toContain('<meta name="robots" content="noindex">');
    expect(page).not.toContain("<script");
  });

  it("says there are none for an address with no comments", async () => {
    const page = await (await open(await managePath("nobody@example.org"))).text();
    expect(page).toContain("There are no comments written with this address.");
  });

  it("never changes anything, nor do the confirm pages or the download", async () => {
    const { published } = await zeldaAndBen();
    const before = await everything();
    const versionBefore = await version();
    const base = await managePath();
    for (const path of [base, `${base}/export`, `${base}/delete/${published}`, `${base}/erase`]) {
      expect((await open(path)).status, path).toBe(200);
    }
    expect(await everything()).toBe(before);
    expect(await version()).toBe(versionBefore);
  });
});

describe("a bad or expired manage link", () => {
  it("answers 410 saying the link expired and how to get a new one, and changes nothing", async () => {
    const { published } = await zeldaAndBen();
    const before = await everything();
    const expired = await managePath(ZELDA.email, Date.now() - MANAGE_LINK_TTL_DAYS * DAY - 1000);
    for (const [path, method] of [[expired, "GET"], [`${expired}/erase`, "POST"], [`${expired}/delete/${published}`, "POST"]] as const) {
      const response = await open(path, method);
      expect(response.status, `${method} ${path}`).toBe(410);
      const page = await response.text();
      expect(page).toContain("This link has expired");
      expect(page).toContain("Every email we send you carries a fresh link");
    }
    expect(await everything()).toBe(before);
  });

  it("answers 404 for a tampered token (another person's hash under Zelda's signature), and changes nothing", async () => {
    const { published } = await zeldaAndBen();
    const before = await everything();
    const [, signature] = (await managePath()).split(".");
    const [forgedClaims] = (await managePath("ben@example.org")).split(".");
    const forged = `${forgedClaims}.${signature}`;
    for (const [path, method] of [[forged, "GET"], [`${forged}/erase`, "POST"], [`${forged}/delete/${published}`, "POST"], ["/mail/manage/not-a-token", "GET"]] as const) {
      const response = await open(path, method);
      expect(response.status, `${method} ${path}`).toBe(404);
      const page = await response.text();
      expect(page).toContain("This link is not valid");
      expect(page).not.toContain("Ben's own comment");
    }
    expect(await everything()).toBe(before);
  });

  it("answers 404 everywhere when the service has no MANAGE_SECRET", async () => {
    await zeldaAndBen();
    const response = await call(await managePath(), {}, { MANAGE_SECRET: undefined });
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain(TEXTS[0].replace("'", "&#39;"));
  });
});

describe("GET /mail/manage/:token/export", () => {
  it("downloads as a JSON attachment the same data as an owner's person export, named by hash only", async () => {
    await zeldaAndBen();
    await confirmedSubscriberComment(ZELDA.email, { author: ZELDA.author });
    const response = await open(`${await managePath()}/export`);
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="my-comments.json"');
    expect(response.headers.get("content-type")).toContain("application/json");
    const mine = (await response.json()) as PersonExport;
    const owners = (await (await admin("/person/export", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: ZELDA.email }) })).json()) as PersonExport;
    expect(mine).toEqual({ ...owners, email: null });
    expect(mine.comments).toHaveLength(4);
    expect(mine.subscriptions).toHaveLength(1);
  });
});

describe("deleting one comment from the page", () => {
  it("asks first, then removes it from the published thread, advances the publication version and audits it as the commenter's", async () => {
    const { ben, published } = await zeldaAndBen();
    const base = await managePath();
    const confirm = await (await open(`${base}/delete/${published}`)).text();
    expect(confirm).toContain("Delete this comment?");
    expect(confirm).toContain('<form method="post"><button type="submit">Delete this comment</button></form>');
    const before = await version();

    const deleted = await open(`${base}/delete/${published}`, "POST");
    expect(deleted.status).toBe(200);
    expect(await deleted.text()).toContain("Comment deleted");
    expect((await getThread()).comments.map((c) => c.id)).toEqual([ben]);
    expect(await version()).toBeGreaterThan(before);
    expect(await dumpKv()).not.toContain(TEXTS[0]);
    expect(await (await open(base)).text()).not.toContain(`/delete/${published}"`);
    const { entries } = (await (await admin("/audit")).json()) as { entries: { action: string; id: string; moderator: string }[] };
    expect(entries.find((e) => e.id === published && e.action === "delete")).toMatchObject({ moderator: "commenter" });
  });

  it("refuses another person's comment with 404 and leaves it published", async () => {
    const { ben } = await zeldaAndBen();
    const response = await open(`${await managePath()}/delete/${ben}`, "POST");
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("This comment is not on your list");
    expect((await getThread()).comments.map((c) => c.id)).toContain(ben);
    expect((await open(`${await managePath()}/delete/${ben}`)).status).toBe(404);
  });
});

describe("the page's buttons", () => {
  it("are rate-limited per client like an author's delete: over the budget, a page asks to wait and nothing is deleted", async () => {
    const { published } = await zeldaAndBen();
    const base = await managePath();
    // The client's budget is spent: the limiter refuses every key.
    const spent = { COMMENT_RL: { limit: async () => ({ success: false }) } };
    const response = await call(`${base}/delete/${published}`, { method: "POST" }, spent);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("60");
    expect(await response.text()).toContain("Please wait a minute");
    expect((await getThread()).comments.map((c) => c.id)).toContain(published);
    expect((await call(`${base}/erase`, { method: "POST" }, spent)).status).toBe(429);
    expect((await getThread()).comments.map((c) => c.id)).toContain(published);
  });
});

describe("erasing everything from the page", () => {
  it("shows the counts first, then leaves no address, name or text of theirs in KV or the ledger's export, Ben's comment kept", async () => {
    const { ben } = await zeldaAndBen();
    await confirmedSubscriberComment(ZELDA.email, { author: ZELDA.author, body: "Zelda's subscribed comment" });
    const base = await managePath();
    const confirm = await (await open(`${base}/erase`)).text();
    expect(confirm).toContain("4 comments: 2 published, 1 awaiting moderation, 1 not published");
    expect(confirm).toContain("your reply-email subscription");
    expect(confirm).toContain('<button type="submit">Erase everything</button>');

    const erased = await open(`${base}/erase`, "POST");
    expect(erased.status).toBe(200);
    expect(await erased.text()).toContain("We erased 4 comments");
    const left = `${await dumpKv()}\n${await ledgerExport()}\n${JSON.stringify(await getThread())}`;
    for (const trace of [...TRACES, "Zelda's subscribed comment"]) expect(left).not.toContain(trace);
    expect((await getThread()).comments.map((c) => c.id)).toEqual([ben]);
    const owners = (await (await admin("/person/export", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: ZELDA.email }) })).json()) as PersonExport;
    expect(owners).toMatchObject({ comments: [], subscriptions: [] });
  });

  it("is audited as done by the commenter themself, never a moderator, without the address", async () => {
    await zeldaAndBen();
    await open(`${await managePath()}/erase`, "POST");
    const audit = await (await admin("/audit")).text();
    const { entries } = JSON.parse(audit) as { entries: { action: string; moderator: string; detail?: unknown }[] };
    expect(entries[0]).toMatchObject({ action: "erase-person", moderator: "commenter", detail: { comments: 3 } });
    expect(entries.filter((e) => e.action === "erase").every((e) => e.moderator === "commenter")).toBe(true);
    expect(audit).not.toContain(ZELDA.email.toLowerCase());
  });
});
