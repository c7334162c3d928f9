// The moderator's view of mail, under /api/admin/mail (the admin API's token is checked by admin.ts): the delivery
// log, newest first, each line queued, sending, retrying, sent, failed or dropped, with the provider's message id or
// the error. The log names recipients by the first characters of their salted hash, never by address.
import { Hono } from "hono";
import { type AppEnv, callLedger } from "../context.ts";
import { badRequest } from "../errors.ts";

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
