// The one-click links' route, /admin/act/<token> (worker/desk/action-links.ts). A GET only shows what the link would do
// and a button: mail scanners and link previews open links, so opening one must change nothing. The button's POST
// performs the action once, audited under the link's moderator; a second use answers 410.
import { Hono } from "hono";
import { ACTION_PAGE_CSP, type LinkClaims, renderActionPage, verifyLink } from "../../desk/action-links.ts";
import { type AppContext, type AppEnv, callLedger } from "../context.ts";
import { notFound } from "../errors.ts";
import { purgeThread } from "../../publish/read-cache.ts";

export const act = new Hono<AppEnv>();

type Page = Parameters<typeof renderActionPage>[0];

act.use("*", async function actionPageHeaders(c, next) {
  // No links without a secret to check them, nor while the moderation API is off (no MODERATOR_TOKEN).
  if (!c.env.LINK_SECRET || !c.env.MODERATOR_TOKEN) throw notFound("There is nothing at this address.");
  await next();
  c.header("Content-Security-Policy", ACTION_PAGE_CSP);
  c.header("Cache-Control", "no-store");
});

const page = (c: AppContext, status: 200 | 403 | 404 | 409 | 410, options: Page) => c.html(renderActionPage(options), status);

/** The link's claims when it is well signed and unexpired; otherwise the page saying why not. */
async function readLink(c: AppContext): Promise<LinkClaims | Response> {
  const claims = await verifyLink(c.req.param("token") ?? "", c.env.LINK_SECRET!);
  if (!claims) return page(c, 404, { title: "This link is not valid", message: "Check that the whole link was copied, or moderate from /admin." });
  if (claims.exp < Date.now()) return page(c, 410, { title: "This link has expired", message: "Moderate this comment from /admin." });
  return claims;
}

const usedPage = (c: AppContext) => page(c, 410, { title: "This link was already used", message: "Each link works once; see the comment's state in /admin." });
const revokedPage = (c: AppContext) => page(c, 403, { title: "This link's moderator was revoked", message: "Moderate this comment from /admin." });

act.get("/:token", async (c) => {
  const claims = await readLink(c);
  if (claims instanceof Response) return claims;
  const [used, moderator, comment, revision] = await callLedger(c.env, (ledger) =>
    Promise.all([ledger.linkUsed(claims.link), ledger.activeModerator(claims.moderator), ledger.getComment(claims.id), ledger.commentRevision(claims.id)]));
  if (used) return usedPage(c);
  if (!moderator) return revokedPage(c);
  if (!comment) return page(c, 404, { title: "This comment is gone", message: "It was deleted." });
  const verb = { approve: "Approve", reject: "Reject", spam: "Mark as spam" }[claims.action];
  return page(c, 200, {
    title: `${verb} this comment?`,
    message: `${comment.author} wrote (now ${comment.status}); you act as ${claims.moderator}:`,
    // The whole text: the moderator approves what this page shows, nothing cut off.
    text: comment.body,
    revision,
    claims,
    confirm: true,
  });
});

act.post("/:token", async (c) => {
  const claims = await readLink(c);
  if (claims instanceof Response) return claims;
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const seen = typeof form.revision === "string" && /^\d{1,9}$/.test(form.revision) ? Number(form.revision) : undefined;
  const outcome = await callLedger(c.env, (ledger) =>
    ledger.actByLink({ linkId: claims.link, action: claims.action, id: claims.id, moderator: claims.moderator, seenRevision: seen }));
  if (outcome.refused === "used") return usedPage(c);
  if (outcome.refused === "stale") {
    return page(c, 409, { title: "This comment was edited", message: "Its text changed after this page showed it. Open the link again to read the new text." });
  }
  if (outcome.refused === "revoked") return revokedPage(c);
  if (!outcome.record) return page(c, 404, { title: "This comment is gone", message: "It was deleted." });
  await purgeThread(c.req.url, outcome.record.post);
  return page(c, 200, { title: "Done", message: `The comment is now ${outcome.record.status}.` });
});
