// The moderator's view of mail, under /api/admin/mail (the admin API's token is checked by admin.ts): the delivery
// log, newest first, each line queued, sending, retrying, sent, failed or dropped, with the provider's message id or
// the error. The log names recipients by the first characters of their salted hash, never by address.
// Each moderator may give their own address (`/me`, sealed like a subscriber's) and send themself a test email.
import { Hono } from "hono";
import { type AppEnv, callLedger, readJsonBody } from "../context.ts";
import { ApiError, badRequest, invalidFields } from "../errors.ts";
import { hashEmail } from "../../intake/ids.ts";
import { PersonSchema, validate } from "../../intake/schema.ts";
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

// Whether the signed-in moderator gave an address (never the address itself: the page only needs to know).
adminMail.get("/me", async (c) => {
  const name = c.get("moderator").name;
  return c.json({ address: await callLedger(c.env, (ledger) => ledger.hasModeratorAddress(name)) });
});

// `{"email": "..."}`: the signed-in moderator's own address, sealed before it reaches the ledger.
adminMail.put("/me", async (c) => {
  const result = validate(PersonSchema, await readJsonBody(c));
  if (!result.ok) throw invalidFields(result.fields, result.message);
  const keys = await readAddressKeys(c.env.MAIL_KEYS);
  if (!keys) throw new ApiError(503, "mail_off", "Mail is off: the MAIL_KEYS secret is not set, so no address can be kept.");
  const email = result.value.email.toLowerCase();
  const address = { emailHash: await hashEmail(email, c.env.IP_HASH_SALT), sealed: await sealAddress(email, keys) };
  const name = c.get("moderator").name;
  await callLedger(c.env, (ledger) => ledger.setModeratorAddress(name, address));
  return c.json({ address: true });
});

adminMail.delete("/me", async (c) => {
  const name = c.get("moderator").name;
  await callLedger(c.env, (ledger) => ledger.setModeratorAddress(name, null));
  return c.body(null, 204);
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
