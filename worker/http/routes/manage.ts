// "Manage my comments": the page behind the signed link every mail carries (worker/mail/manage-link.ts), where a
// commenter sees the comments written with their address, downloads their data, deletes one, or erases everything.
// The link names them by their address's salted hash, so the ledger is asked by hash alone (comments stored without
// one, from some imports, are not listed: docs/privacy.md). A GET never changes anything; the deletes are the
// buttons of confirm pages, which POST (rate-limited like an author's delete). The same delete as the author's own
// and the same erasure as an owner's `person erase`, audited as done by the commenter. Mounted inside
// routes/mail.ts, so its page headers (no-store, a CSP that allows no script) apply.
import { Hono } from "hono";
import { type AppContext, type AppEnv, callLedger, clientIp, siteUrl } from "../context.ts";
import { ApiError } from "../errors.ts";
import { enforceRateLimit, RATE_LIMIT_PERIOD_SECONDS } from "../../intake/guard.ts";
import { IdSchema, validate } from "../../intake/schema.ts";
import { COMMENTER } from "../../ledger/actions.ts";
import type { PersonExport } from "../../ledger/person.ts";
import { MANAGE_LINK_TTL_DAYS, readManageToken } from "../../mail/manage-link.ts";
import { renderDeleteConfirm, renderDeleted, renderEraseConfirm, renderErased, renderManageList } from "../../mail/manage-page.ts";
import { renderMailPage } from "../../mail/pages.ts";
import { purgeThread } from "../../publish/read-cache.ts";
import { erasePersonEverywhere } from "../person-erasure.ts";

export const manage = new Hono<AppEnv>();

type Refusal = 404 | 410 | 429;
const refuse = (c: AppContext, status: Refusal, title: string, message: string) => c.html(renderMailPage({ title, message }), status);

const NEW_LINK = "Every email we send you carries a fresh link. If you have none, ask the blog's moderators: they can send you a copy of your comments or erase them for you.";

/** Whose page this is, as the token proves it, and the page's own path, which every action link starts with. */
interface Owner {
  emailHash: string;
  base: string;
}

/** Runs `handler` for the owner the link's token names, or answers 404 (no such page, bad token) or 410 (expired). */
function owned(handler: (c: AppContext, owner: Owner) => Promise<Response>) {
  return async function ownedByToken(c: AppContext): Promise<Response> {
    const secret = c.env.MANAGE_SECRET;
    if (!secret) return refuse(c, 404, "There is nothing here", "This blog does not offer this page.");
    const token = c.req.param("token") ?? "";
    const read = await readManageToken(token, secret, Date.now());
    if (read === "expired") return refuse(c, 410, "This link has expired", `Links to manage your comments work for ${MANAGE_LINK_TTL_DAYS} days. ${NEW_LINK}`);
    if (!read) return refuse(c, 404, "This link is not valid", `Check that the whole link was copied from the email. ${NEW_LINK}`);
    return handler(c, { emailHash: read.emailHash, base: `/mail/manage/${token}` });
  };
}

/** Everything held about the owner (the same as an owner's `person export`, named by hash only). */
const exportOf = (c: AppContext, owner: Owner): Promise<PersonExport> =>
  callLedger(c.env, (ledger) => ledger.exportPerson({ email: null, emailHash: owner.emailHash }));

/** The owner's live comment with the `:id` of the path, or null (not an id, not theirs, or gone). */
async function commentOf(c: AppContext, owner: Owner) {
  const id = validate(IdSchema, c.req.param("id"));
  if (!id.ok) return null;
  return (await exportOf(c, owner)).comments.find((comment) => comment.id === id.value) ?? null;
}

/**
 * A delete or an erasure spends the client's write budget, as an author's delete does (routes/author.ts); over it,
 * a page asking them to wait (429) instead of the API's JSON error. Null: within the budget.
 */
async function overRateLimit(c: AppContext): Promise<Response | null> {
  try {
    await enforceRateLimit(c.env.COMMENT_RL, clientIp(c), c.env.IP_HASH_SALT);
    return null;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 429) throw error;
    c.header("Retry-After", String(RATE_LIMIT_PERIOD_SECONDS));
    return refuse(c, 429, "Please wait a minute", "You have made several changes in a short time. Wait a minute, then press the button again.");
  }
}

const notTheirs = (c: AppContext, owner: Owner) =>
  c.html(renderMailPage({ title: "No such comment", message: "This comment is not on your list: it may be deleted already.", link: { href: owner.base, text: "Back to your comments" } }), 404);

manage.get("/:token", owned(async (c, owner) => c.html(renderManageList(await exportOf(c, owner), owner.base, siteUrl(c.env)))));

manage.get("/:token/export", owned(async (c, owner) => {
  c.header("Content-Disposition", 'attachment; filename="my-comments.json"');
  return c.json(await exportOf(c, owner));
}));

manage.get("/:token/delete/:id", owned(async (c, owner) => {
  const comment = await commentOf(c, owner);
  return comment ? c.html(renderDeleteConfirm(comment, owner.base)) : notTheirs(c, owner);
}));

manage.post("/:token/delete/:id", owned(async (c, owner) => {
  const limited = await overRateLimit(c);
  if (limited) return limited;
  const id = validate(IdSchema, c.req.param("id"));
  const record = id.ok ? await callLedger(c.env, (ledger) => ledger.removeByOwner(id.value, owner.emailHash)) : null;
  if (!record) return notTheirs(c, owner);
  await purgeThread(c.req.url, record.post);
  return c.html(renderDeleted(record, owner.base));
}));

manage.get("/:token/erase", owned(async (c, owner) => c.html(renderEraseConfirm(await exportOf(c, owner), owner.base))));

manage.post("/:token/erase", owned(async (c, owner) => {
  const limited = await overRateLimit(c);
  if (limited) return limited;
  const receipt = await erasePersonEverywhere(c.env, c.req.url, { email: null, emailHash: owner.emailHash }, COMMENTER);
  return c.html(renderErased(receipt.comments));
}));
