// One person's data, for owners only (inside the moderator API, so the token check has run): export everything held
// about an email address, or erase it (worker/ledger/person.ts). POST with the address in a JSON body, so it never
// appears in a URL, a log line or a browser's history. docs/privacy.md says how to answer each request.
import { Hono } from "hono";
import { requireOwner } from "../../desk/auth.ts";
import { type AppContext, type AppEnv, callLedger, readJsonBody } from "../context.ts";
import { invalidFields } from "../errors.ts";
import { hashEmail } from "../../intake/ids.ts";
import { PersonSchema, validate } from "../../intake/schema.ts";
import type { Person } from "../../ledger/person.ts";
import { erasePersonEverywhere } from "../person-erasure.ts";

export const person = new Hono<AppEnv>();

person.use("*", requireOwner());

/** The address in the body and its salted hash, the key the ledger keeps of every commenter's email. */
async function personOf(c: AppContext): Promise<Person> {
  const result = validate(PersonSchema, await readJsonBody(c));
  if (!result.ok) throw invalidFields(result.fields, result.message);
  const email = result.value.email.toLowerCase();
  return { email, emailHash: await hashEmail(email, c.env.IP_HASH_SALT) };
}

person.post("/export", async (c) => {
  const target = await personOf(c);
  return c.json(await callLedger(c.env, (ledger) => ledger.exportPerson(target)));
});

person.post("/erase", async (c) => {
  const target = await personOf(c);
  return c.json(await erasePersonEverywhere(c.env, c.req.url, target, c.get("moderator").name));
});
