// The moderation desk's own routes, mounted inside the moderator API (admin.ts applies the token check): who am I,
// the moderators and the rules (owners change them), and the audit log. Every change is audited in the ledger.
import { Hono } from "hono";
import { createToken, hashToken, requireOwner } from "../../desk/auth.ts";
import { type AppContext, type AppEnv, callLedger, readJsonBody } from "../context.ts";
import type { Rule } from "../../desk/tables.ts";
import { ApiError, badRequest, invalidFields, notFound } from "../errors.ts";
import { createId, hashEmail } from "../../intake/ids.ts";
import { AUDIT_LIMIT_DEFAULT, AUDIT_LIMIT_MAX, ID_PATTERN, ModeratorSchema, RuleSchema, validate } from "../../intake/schema.ts";

export const desk = new Hono<AppEnv>();

/** A whole number query parameter from 1 to `max` (`fallback` when absent). */
function wholeQuery(c: AppContext, name: string, fallback: number | null, max: number): number | null {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > max) throw badRequest(`${name} must be a whole number from 1 to ${max}.`);
  return n;
}

desk.get("/me", (c) => c.json(c.get("moderator")));

desk.get("/moderators", requireOwner(), async (c) => {
  const moderators = await callLedger(c.env, (ledger) => ledger.listModerators());
  return c.json({ moderators });
});

// The token is shown once, here; the ledger keeps only its hash.
desk.post("/moderators", requireOwner(), async (c) => {
  const result = validate(ModeratorSchema, await readJsonBody(c));
  if (!result.ok) throw invalidFields(result.fields, result.message);
  const { name, role } = result.value;
  const token = createToken();
  const tokenHash = await hashToken(token);
  const added = await callLedger(c.env, (ledger) => ledger.addModerator({ name, role }, tokenHash, c.get("moderator").name));
  if (!added) throw new ApiError(409, "conflict", `There is already a moderator named "${name}".`);
  return c.json({ name, role, token }, 201);
});

desk.delete("/moderators/:name", requireOwner(), async (c) => {
  const name = c.req.param("name");
  const revoked = await callLedger(c.env, (ledger) => ledger.revokeModerator(name, c.get("moderator").name));
  if (!revoked) throw notFound("There is no active moderator with that name.");
  return c.body(null, 204);
});

desk.get("/rules", async (c) => {
  const rules = await callLedger(c.env, (ledger) => ledger.listRules());
  return c.json({ rules });
});

// An email rule keeps only the address's salted hash, the same hash the ledger keeps of each commenter's email.
desk.post("/rules", requireOwner(), async (c) => {
  const result = validate(RuleSchema, await readJsonBody(c));
  if (!result.ok) throw invalidFields(result.fields, result.message);
  const input = result.value;
  const value = input.kind === "email" ? await hashEmail(input.value, c.env.IP_HASH_SALT) : input.value;
  const rule: Rule = { id: createId(), kind: input.kind, value, action: input.action, createdAt: new Date().toISOString(), createdBy: c.get("moderator").name };
  await callLedger(c.env, (ledger) => ledger.addRule(rule));
  return c.json(rule, 201);
});

desk.delete("/rules/:id", requireOwner(), async (c) => {
  const id = c.req.param("id");
  const removed = ID_PATTERN.test(id) && (await callLedger(c.env, (ledger) => ledger.removeRule(id, c.get("moderator").name)));
  if (!removed) throw notFound("There is no rule with that id.");
  return c.body(null, 204);
});

// Newest first; `before` is an entry's `seq`, to page back through the log.
desk.get("/audit", async (c) => {
  const limit = wholeQuery(c, "limit", AUDIT_LIMIT_DEFAULT, AUDIT_LIMIT_MAX)!;
  const before = wholeQuery(c, "before", null, Number.MAX_SAFE_INTEGER);
  const entries = await callLedger(c.env, (ledger) => ledger.auditPage(limit, before));
  return c.json({ entries });
});
