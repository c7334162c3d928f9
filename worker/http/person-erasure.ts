// The whole erasure of one person, as the owner's route (routes/person.ts) and the commenter's own page
// (routes/manage.ts) both run it: the inbox first, so a submission still waiting there is erased with the rest rather
// than taken in afterwards; then the records only KV holds under the address's hash; then the ledger's one atomic
// erasure (worker/ledger/person.ts); then the edge's cached copies of the changed threads. The static site needs
// nothing here: the erasure advanced the ledger's publication version in its own step, and the ledger's alarm asks
// for the rebuild until the live site reports that version.
import type { Actor } from "../ledger/actions.ts";
import type { ErasureReceipt, Person } from "../ledger/person.ts";
import { purgeThread } from "../publish/read-cache.ts";
import { drainInbox, unknownRecordsOf } from "../publish/reconcile.ts";
import { callLedger } from "./context.ts";

/** Erases everything held about `person`, audited as done by `actor`; the receipt. */
export async function erasePersonEverywhere(env: Env, requestUrl: string, person: Person, actor: Actor): Promise<ErasureReceipt> {
  await drainInbox(env);
  const kvOnly = await unknownRecordsOf(env, person.emailHash);
  const receipt = await callLedger(env, (ledger) => ledger.erasePerson(person, kvOnly, actor));
  for (const post of receipt.posts) await purgeThread(requestUrl, post);
  return receipt;
}
