// One person's data, for owners only (inside the moderator API, so the token check has run): export everything held
// about an email address, or erase it (worker/ledger/person.ts). POST with the address in a JSON body, so it never
// appears in a URL, a log line or a browser's history. docs/privacy.md says how to answer each request.
import { Hono } from "hono";
import { requireOwner } from "../../desk/auth.ts";
import { type AppContext, type AppEnv, callLedger, readJsonBody, runAfterResponse } from "../context.ts";
import { invalidFields } from "../errors.ts";
import { hashEmail } from "../../intake/ids.ts";
import { PersonSchema, validate } from "../../intake/schema.ts";
import type { Person } from "../../ledger/person.ts";
import { purgeThread } from "../../publish/read-cache.ts";
import { drainInbox, unknownRecordsOf } from "../../publish/reconcile.ts";

export const person = new Hono<AppEnv>();

person.use("*", requireOwner());

/** The address in the body and its salted hash, the key the ledger keeps of every commenter's email. */
async function personOf(c: AppContext): Promise<Person> {
  const result = validate(PersonSchema, await readJsonBody(c));
  if (!result.ok) throw invalidFields(result.fields, result.message);
  const email = result.value.email.toLowerCase();
  return { email, emailHash: await hashEmail(email, c.env.IP_HASH_SALT) };
}

/**
 * After an erasure: the edge's copies of the changed threads (and of every thread, the build's source) are purged
 * here. The static site needs nothing from this route: the erasure advanced the ledger's publication version in its
 * own step, and the ledger's alarm asks for the rebuild until the live site reports that version.
 */
async function purgeErasedThreads(c: AppContext, posts: readonly string[]): Promise<void> {
  for (const post of posts) await purgeThread(c.req.url, post);
}

person.post("/export", async (c) => {
  const target = await personOf(c);
  return c.json(await callLedger(c.env, (ledger) => ledger.exportPerson(target)));
});

// The inbox first, so a submission still waiting there is erased with the rest rather than taken in afterwards.
person.post("/erase", async (c) => {
  const target = await personOf(c);
  await drainInbox(c.env);
  const kvOnly = await unknownRecordsOf(c.env, target.emailHash);
  const receipt = await callLedger(c.env, (ledger) => ledger.erasePerson(target, kvOnly, c.get("moderator").name));
  await purgeErasedThreads(c, receipt.posts);
  return c.json(receipt);
});
