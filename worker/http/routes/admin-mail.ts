// The moderator's view of mail, under /api/admin/mail (the admin API's token is checked by admin.ts): the delivery
// log, newest first, each line queued, sending, retrying, sent, failed or dropped, with the provider's message id or
// the error. The log names recipients by the first characters of their salted hash, never by address.
// Each moderator may give their own address (`/me`, sealed like a subscriber's), send themself a test email, and
// turn on or off the mail about comments held for moderation (`/me/pending-mail`, on by default). Owners may do the
// same for any moderator (`/moderators/<name>`, the CLI's `moderators add --email` and `moderators mail|email`).
import { Hono } from "hono";
import { type AppContext, type AppEnv, callLedger, readJsonBody } from "../context.ts";
import { ApiError, badRequest, invalidFields, notFound } from "../errors.ts";
import { requireOwner } from "../../desk/auth.ts";
import { hashEmail } from "../../intake/ids.ts";
import { PendingMailSchema, PersonSchema, validate } from "../../intake/schema.ts";
import type { TestMailOutcome } from "../../desk-shapes.ts";
import { readAddressKeys, sealAddress } from "../../mail/address-seal.ts";

export const adminMail = new Hono<AppEnv>();

export const MAIL_LOG_LIMIT_DEFAULT = 100;
export const MAIL_LOG_LIMIT_MAX = 500;

adminMail.get("/log", async (c) => {
  const raw = c.req.query("limit");
  const limit = raw === undefined ? MAIL_LOG_LIMIT_DEFAULT : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAIL_LOG_LIMIT_MAX) throw badRequest(`limit must be a whole number from 1 to ${MAIL_LOG_LIMIT_MAX}.`);
  const deliveries = await callLedger(c.env, (ledger) => ledger.mailLog(limit));
  return c.json({ deliveries });
});

/** `{"email": "..."}` from the body, sealed and hashed: only this leaves the request for the ledger. */
async function sealedAddressFromBody(c: AppContext) {
  const result = validate(PersonSchema, await readJsonBody(c));
  if (!result.ok) throw invalidFields(result.fields, result.message);
  const keys = await readAddressKeys(c.env.MAIL_KEYS);
  if (!keys) throw new ApiError(503, "mail_off", "Mail is off: the MAIL_KEYS secret is not set, so no address can be kept.");
  const email = result.value.email.toLowerCase();
  return { emailHash: await hashEmail(email, c.env.IP_HASH_SALT), sealed: await sealAddress(email, keys) };
}

/** `{"on": true|false}` from the body. */
async function pendingMailFromBody(c: AppContext): Promise<boolean> {
  const result = validate(PendingMailSchema, await readJsonBody(c));
  if (!result.ok) throw invalidFields(result.fields, result.message);
  return result.value.on;
}

// Whether the signed-in moderator gave an address (never the address itself: the page only needs to know), and
// whether they get the mail about comments held for moderation.
adminMail.get("/me", async (c) => {
  const name = c.get("moderator").name;
  return c.json(await callLedger(c.env, (ledger) => ledger.moderatorMail(name)));
});

// `{"email": "..."}`: the signed-in moderator's own address, sealed before it reaches the ledger.
adminMail.put("/me", async (c) => {
  const address = await sealedAddressFromBody(c);
  const name = c.get("moderator").name;
  await callLedger(c.env, (ledger) => ledger.setModeratorAddress(name, address));
  return c.json({ address: true });
});

adminMail.delete("/me", async (c) => {
  const name = c.get("moderator").name;
  await callLedger(c.env, (ledger) => ledger.setModeratorAddress(name, null));
  return c.body(null, 204);
});

// `{"on": false}` stops the mail about comments held for moderation (and drops what is queued); `true` restarts it.
adminMail.put("/me/pending-mail", async (c) => {
  const on = await pendingMailFromBody(c);
  const name = c.get("moderator").name;
  return c.json(await callLedger(c.env, (ledger) => ledger.setModeratorPendingMail(name, on)));
});

/** The name in the path, when it is an active moderator's (or the owner's); a 404 otherwise. */
async function activeModeratorName(c: AppContext): Promise<string> {
  const name = c.req.param("name") ?? "";
  const moderator = await callLedger(c.env, (ledger) => ledger.activeModerator(name));
  if (!moderator) throw notFound("There is no active moderator with that name.");
  return moderator.name;
}

// Owners: a moderator's address (`{"email": "..."}`; DELETE forgets it) and their pending-comment mail.
adminMail.put("/moderators/:name", requireOwner(), async (c) => {
  const name = await activeModeratorName(c);
  const address = await sealedAddressFromBody(c);
  await callLedger(c.env, (ledger) => ledger.setModeratorAddress(name, address));
  return c.json(await callLedger(c.env, (ledger) => ledger.moderatorMail(name)));
});

adminMail.delete("/moderators/:name", requireOwner(), async (c) => {
  const name = await activeModeratorName(c);
  await callLedger(c.env, (ledger) => ledger.setModeratorAddress(name, null));
  return c.body(null, 204);
});

adminMail.put("/moderators/:name/pending-mail", requireOwner(), async (c) => {
  const name = await activeModeratorName(c);
  const on = await pendingMailFromBody(c);
  return c.json(await callLedger(c.env, (ledger) => ledger.setModeratorPendingMail(name, on)));
});

// Sends a test email to the signed-in moderator's own address at once; the outcome is also in the delivery log.
adminMail.post("/test", async (c) => {
  const name = c.get("moderator").name;
  // The RPC stub's type of a union loses the union; the ledger's method declares it.
  const outcome = await callLedger<TestMailOutcome>(c.env, async (ledger) => (await ledger.sendTestMail(name)) as TestMailOutcome);
  if (outcome.result === "no-address") throw new ApiError(409, "no_address", "No email address is set for you: give one under Mail first.");
  if (outcome.result === "mail-off") throw new ApiError(503, "mail_off", "Mail is off: MAIL_FROM, COMMENTS_API_URL or the MAIL_KEYS secret is not set.");
  if (outcome.result === "failed") throw new ApiError(502, "mail_failed", `The test email was not sent: ${outcome.error}`);
  return c.json(outcome);
});
