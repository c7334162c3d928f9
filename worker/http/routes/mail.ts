// The links in mail, /mail/confirm/<token> and /mail/unsubscribe/<token> (worker/mail/). A GET changes nothing: it
// shows a page whose button POSTs. The unsubscribe POST is also RFC 8058's one-click unsubscribe: mailbox providers
// POST `List-Unsubscribe=One-Click` with no cookies, and must get a 200, never a redirect. Both answer the same page
// for an unknown token as for a used one, so a token cannot be probed. The "manage my comments" pages
// (/mail/manage/<token>, routes/manage.ts) are mounted here, under the same page headers.
import { Hono } from "hono";
import { type AppContext, type AppEnv, callLedger } from "../context.ts";
import { MAIL_PAGE_CSP, renderMailPage } from "../../mail/pages.ts";
import { manage } from "./manage.ts";

export const mail = new Hono<AppEnv>();

/** Tokens are 32 random bytes in base64url (mail/tables.ts); anything else is not one. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

mail.use("*", async function mailPageHeaders(c, next) {
  await next();
  c.header("Content-Security-Policy", MAIL_PAGE_CSP);
  c.header("Cache-Control", "no-store");
});

const page = (c: AppContext, status: 200 | 404, options: Parameters<typeof renderMailPage>[0]) => c.html(renderMailPage(options), status);
const invalid = (c: AppContext) => page(c, 404, { title: "This link is not valid", message: "Check that the whole link was copied from the email." });

mail.get("/confirm/:token", async (c) => {
  const token = c.req.param("token");
  if (!TOKEN.test(token)) return invalid(c);
  if (!(await callLedger(c.env, (ledger) => ledger.isPendingConfirmation(token)))) {
    return page(c, 200, { title: "Nothing to confirm", message: "This address is already confirmed, or the link is no longer valid." });
  }
  return page(c, 200, {
    title: "Email me when someone replies?",
    message: "Press Confirm to get an email when a moderator approves a reply to your comments. Every email has a link to stop them.",
    button: "Confirm",
  });
});

mail.post("/confirm/:token", async (c) => {
  const token = c.req.param("token");
  if (!TOKEN.test(token)) return invalid(c);
  const confirmed = await callLedger(c.env, (ledger) => ledger.confirmSubscription(token));
  return confirmed
    ? page(c, 200, { title: "Confirmed", message: "You will get an email when a reply to your comments is approved." })
    : page(c, 200, { title: "Nothing to confirm", message: "This address is already confirmed, or the link is no longer valid." });
});

mail.get("/unsubscribe/:token", async (c) => {
  const token = c.req.param("token");
  if (!TOKEN.test(token)) return invalid(c);
  if (!(await callLedger(c.env, (ledger) => ledger.isSubscribed(token)))) {
    return page(c, 200, { title: "You are unsubscribed", message: "This address gets no more reply emails from us." });
  }
  return page(c, 200, { title: "Stop reply emails?", message: "Press Unsubscribe to stop all reply emails to this address.", button: "Unsubscribe" });
});

// The button's POST and the mailbox provider's one-click POST (body `List-Unsubscribe=One-Click`) alike: both
// unsubscribe, and both get 200 with the page.
mail.post("/unsubscribe/:token", async (c) => {
  const token = c.req.param("token");
  if (!TOKEN.test(token)) return invalid(c);
  await callLedger(c.env, (ledger) => ledger.unsubscribe(token));
  return page(c, 200, { title: "You are unsubscribed", message: "This address gets no more reply emails from us, and we no longer keep it for mail." });
});

mail.route("/manage", manage);
