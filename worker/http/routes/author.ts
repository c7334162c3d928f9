// The author's own comment, for a short while after sending it ("take it back"): edit or delete it with
// the edit token the submission's 202 answer carried (`Authorization: Bearer <editToken>`). Public like the other
// comment routes (CORS for ALLOWED_ORIGINS, foreign origins refused), rate-limited like submissions; the ledger
// checks the token's hash and the deadline (worker/ledger/author-actions.ts). Thin: validate -> guard -> ledger -> respond.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { type AppContext, type AppEnv, callLedger, clientIp, mediaType, commentId, noStore } from "../context.ts";
import { editWindowMs, refusal, requestTokenHash } from "../../intake/edit-token.ts";
import { ApiError, invalidFields } from "../errors.ts";
import { enforceRateLimit } from "../../intake/guard.ts";
import type { AdminComment } from "../../comment.ts";
import type { AuthorOutcome } from "../../ledger/author-actions.ts";
import { purgeThread } from "../../publish/read-cache.ts";
import { EditSchema, MAX_SUBMISSION_BYTES, validate } from "../../intake/schema.ts";
import { readFields } from "./comments.ts";

export const author = new Hono<AppEnv>();

author.use("*", noStore());

/** The record the author acted on, or the error that says why the ledger refused. */
function succeeded(c: AppContext, outcome: AuthorOutcome): AdminComment {
  if (outcome.refused || !outcome.record) throw refusal(outcome.refused ?? "gone", c.env);
  return outcome.record;
}

author.patch(
  "/:id",
  bodyLimit({
    maxSize: MAX_SUBMISSION_BYTES,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `A comment request can be at most ${MAX_SUBMISSION_BYTES / 1024} KB.`);
    },
  }),
  async (c) => {
    const id = commentId(c);
    const tokenHash = await requestTokenHash(c);
    if (mediaType(c) !== "application/json") throw new ApiError(415, "unsupported_media_type", "Send the new text as application/json.");
    const result = validate(EditSchema, await readFields(c));
    if (!result.ok) throw invalidFields(result.fields);
    await enforceRateLimit(c.env.COMMENT_RL, clientIp(c), c.env.IP_HASH_SALT);
    const keepApproval = c.env.EDIT_KEEPS_APPROVAL === "true";
    const outcome = await callLedger(c.env, (ledger) => ledger.editByAuthor(id, tokenHash, result.value.body, { keepApproval }));
    const record = succeeded(c, outcome);
    await purgeThread(c.req.url, record.post);
    const editableUntil = new Date(Date.parse(record.createdAt) + editWindowMs(c.env)).toISOString();
    return c.json({ id: record.id, status: record.status, editableUntil, published: outcome.published });
  },
);

author.delete("/:id", async (c) => {
  const id = commentId(c);
  const tokenHash = await requestTokenHash(c);
  await enforceRateLimit(c.env.COMMENT_RL, clientIp(c), c.env.IP_HASH_SALT);
  const record = succeeded(c, await callLedger(c.env, (ledger) => ledger.removeByAuthor(id, tokenHash)));
  await purgeThread(c.req.url, record.post);
  return c.body(null, 204);
});
