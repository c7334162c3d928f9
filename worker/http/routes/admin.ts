// The moderator API: every route needs `Authorization: Bearer <token>` (worker/desk/auth.ts), a moderator's or the
// owner's; the desk's own routes (moderators, rules, audit) are in desk.ts. No CORS: only the same-origin /admin page
// and non-browser clients (the moderation CLI) use it. Every change is audited under the moderator who made it.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requireModerator } from "../../desk/auth.ts";
import type { AdminComment } from "../../comment.ts";
import { type AppContext, type AppEnv, callLedger, mediaType, readJsonBody, commentId, noStore } from "../context.ts";
import { ApiError, badRequest, invalidFields, notFound } from "../errors.ts";
import { deriveImportId, hashEmail } from "../../intake/ids.ts";
import type { LedgerEntry } from "../../ledger/actions.ts";
import { STALE_MESSAGE } from "../../ledger/moderation.ts";
import { findPost, listPosts } from "../../intake/posts.ts";
import { purgeThread } from "../../publish/read-cache.ts";
import { SCAN_PAGES_PER_CALL, scanComments } from "../../publish/reconcile.ts";
import {
  BulkSchema, IdSchema, type ImportItem, ImportSchema, LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, MAX_IMPORT_BYTES, RULE_VALUE_MAX,
  StatusSchema, TextSchema, validate,
} from "../../intake/schema.ts";
import { createId } from "../../intake/ids.ts";
import { desk } from "./desk.ts";
import { person } from "./person.ts";
import { adminMail } from "./admin-mail.ts";

export const admin = new Hono<AppEnv>();

admin.use("*", requireModerator());
admin.use("*", noStore());

const unknownComment = () => notFound("There is no comment with that id.");
const actor = (c: AppContext) => c.get("moderator").name;

admin.route("/", desk);
admin.route("/person", person);
admin.route("/mail", adminMail);

// How far the static site is behind what readers of the live thread see: the ledger's publication version, the
// version the live site last reported, and the owed rebuild's attempts and last error (publish/deploy-hook.ts).
admin.get("/status", async (c) => c.json(await callLedger(c.env, (ledger) => ledger.siteStatus())));

/** `?cursor=` as the list hands it out: the last comment's createdAt and id. */
const CURSOR = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)\|([A-Za-z0-9_-]{1,64})$/;

// One page of comments, oldest first (the queue is worked from its oldest end), with what each replies to, the
// counts per status (of every comment, whatever the filter) and the cursor of the next page. Without `limit` and
// `cursor` it is the whole list, as before paging, so callers written for that keep working.
admin.get("/comments", async (c) => {
  const status = c.req.query("status") || undefined;
  const checked = status === undefined ? undefined : validate(StatusSchema, status);
  if (checked && !checked.ok) throw badRequest("status must be pending, approved, rejected or spam.");
  const post = c.req.query("post") || undefined;
  const q = c.req.query("q")?.trim() || undefined;
  if (q !== undefined && q.length > RULE_VALUE_MAX) throw badRequest(`q can be at most ${RULE_VALUE_MAX} characters.`);
  const rawLimit = c.req.query("limit");
  const rawCursor = c.req.query("cursor");
  const limit = rawLimit === undefined || rawLimit === "" ? LIST_LIMIT_DEFAULT : Number(rawLimit);
  if (!/^\d*$/.test(rawLimit ?? "") || !Number.isInteger(limit) || limit < 1 || limit > LIST_LIMIT_MAX) {
    throw badRequest(`limit must be a whole number from 1 to ${LIST_LIMIT_MAX}.`);
  }
  const cursor = rawCursor ? CURSOR.exec(rawCursor) : undefined;
  if (cursor === null) throw badRequest("cursor must be the `next` of the page before.");
  const after = cursor ? { createdAt: cursor[1]!, id: cursor[2]! } : undefined;
  const paged = rawLimit !== undefined || rawCursor !== undefined;
  // Records keep no address: a search for one finds its commenter's comments by the salted hash.
  const emailHash = q?.includes("@") ? await hashEmail(q, c.env.IP_HASH_SALT) : undefined;
  const page = await callLedger(c.env, (ledger) => ledger.listPage({ status: checked?.value, post, q, emailHash, after, limit: paged ? limit : null }));
  const posts = Object.fromEntries(listPosts().map((p) => [p.slug, { title: p.title, url: p.url }]));
  const next = page.next ? `${page.next.createdAt}|${page.next.id}` : null;
  return c.json({ comments: page.comments, posts, counts: page.counts, next });
});

admin.post("/comments/bulk", async (c) => {
  const result = validate(BulkSchema, await readJsonBody(c));
  if (!result.ok) throw invalidFields(result.fields, result.message);
  const { action, revisions } = result.value;
  // Each id once, in the order given: the answer has one result per distinct id.
  const ids = [...new Set(result.value.ids)];
  const valid = ids.filter((id) => validate(IdSchema, id).ok);
  const outcome = await callLedger(c.env, (ledger) => ledger.bulkAction(action, valid, actor(c), revisions));
  const byId = new Map(outcome.results.map((r) => [r.id, r]));
  for (const post of outcome.posts) await purgeThread(c.req.url, post);
  return c.json({ results: ids.map((id) => byId.get(id) ?? { id, ok: false, error: "There is no comment with that id." }) });
});

admin.get("/comments/:id", async (c) => {
  const id = commentId(c);
  const [record, revision] = await callLedger(c.env, (ledger) => Promise.all([ledger.getComment(id), ledger.commentRevision(id)]));
  if (!record) throw unknownComment();
  // `revision`: the text's revision, which an approval may name (`?revision=`) so it approves only this text.
  return c.json({ comment: record, postTitle: findPost(record.post)?.title ?? null, revision });
});

/** `?revision=`: the revision of the text the moderator read (the list gives it); absent: no check. */
function seenRevision(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,9}$/.test(raw)) throw badRequest("revision must be a whole number (the comment's revision from the list).");
  return Number(raw);
}

for (const [action, status] of [["approve", "approved"], ["reject", "rejected"], ["spam", "spam"]] as const) {
  admin.post(`/comments/:id/${action}`, async (c) => {
    const id = commentId(c);
    const seen = seenRevision(c.req.query("revision"));
    const outcome = await callLedger(c.env, (ledger) => ledger.setStatus(id, status, actor(c), seen));
    if (!outcome) throw unknownComment();
    if (outcome.stale) throw new ApiError(409, "conflict", STALE_MESSAGE);
    const { record, published } = outcome;
    await purgeThread(c.req.url, record.post);
    return c.json({ id: record.id, status: record.status, moderatedAt: record.moderatedAt, published });
  });
}

admin.delete("/comments/:id", async (c) => {
  const id = commentId(c);
  const outcome = await callLedger(c.env, (ledger) => ledger.remove(id, actor(c)));
  if (!outcome) throw unknownComment();
  await purgeThread(c.req.url, outcome.record.post);
  return c.body(null, 204);
});

// Fixes a comment's text; the audit entry keeps the original (until the comment is deleted).
admin.patch("/comments/:id", async (c) => {
  const id = commentId(c);
  const result = validate(TextSchema, await readJsonBody(c));
  if (!result.ok) throw invalidFields(result.fields, result.message);
  const outcome = await callLedger(c.env, (ledger) => ledger.editComment(id, result.value.body, actor(c)));
  if (!outcome) throw unknownComment();
  await purgeThread(c.req.url, outcome.record.post);
  return c.json(outcome.record);
});

// The blog answers: a reply approved at once, under BLOG_AUTHOR_NAME, with the "Author" badge.
admin.post("/comments/:id/reply", async (c) => {
  const id = commentId(c);
  const result = validate(TextSchema, await readJsonBody(c));
  if (!result.ok) throw invalidFields(result.fields, result.message);
  const author = c.env.BLOG_AUTHOR_NAME?.trim() || "The blog";
  const outcome = await callLedger(c.env, (ledger) => ledger.replyTo(id, { id: createId(), author, body: result.value.body }, actor(c)));
  if (!outcome) throw notFound("There is no approved comment with that id to reply to.");
  await purgeThread(c.req.url, outcome.record.post);
  return c.json(outcome.record, 201);
});

// "Block this commenter": the comment becomes spam and its email's hash a spam rule, in one audited step.
admin.post("/comments/:id/block", async (c) => {
  const id = commentId(c);
  const outcome = await callLedger(c.env, (ledger) => ledger.blockCommenter(id, createId(), actor(c)));
  if (!outcome) throw unknownComment();
  await purgeThread(c.req.url, outcome.record.post);
  const { record, published, rule } = outcome;
  return c.json({ id: record.id, status: record.status, moderatedAt: record.moderatedAt, published, rule });
});

admin.post(
  "/import",
  bodyLimit({
    maxSize: MAX_IMPORT_BYTES,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `An import can be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB; split it.`);
    },
  }),
  async (c) => {
    if (mediaType(c) !== "application/json") throw new ApiError(415, "unsupported_media_type", "Send the import as application/json.");
    let parsed: unknown;
    try {
      parsed = JSON.parse(await c.req.text());
    } catch {
      throw badRequest("The request body is not valid JSON.");
    }
    if (!Array.isArray(parsed)) throw badRequest("Send a JSON array of comments.");
    const result = validate(ImportSchema, parsed);
    if (!result.ok) throw invalidFields(result.fields, result.message);
    // `?restoreDeleted=1`: bring back comments deleted here (a backup restored on purpose); otherwise they stay deleted.
    const restoreDeleted = c.req.query("restoreDeleted") === "1";
    const entries = await Promise.all(result.value.map((item) => importEntry(item, c.env.IP_HASH_SALT)));
    const outcome = await callLedger(c.env, (ledger) => ledger.importEntries(entries, actor(c), { restoreDeleted }));
    if (outcome.fields) throw invalidFields(outcome.fields, "Nothing was imported: some entries need correcting.");
    for (const post of new Set(result.value.map((item) => item.post))) await purgeThread(c.req.url, post);
    return c.json({ imported: outcome.imported, skipped: outcome.skipped, keptDeleted: outcome.keptDeleted });
  },
);

/** An import item as a ledger entry: an id derived from its content when it has none (so a retry skips it). */
async function importEntry(item: ImportItem, salt: string | undefined, now = new Date()): Promise<LedgerEntry> {
  const id = item.id ?? (await deriveImportId(item.post, item.author, item.createdAt, item.body));
  const moderatedAt = item.status === "pending" ? null : (item.moderatedAt ?? now.toISOString());
  // The address is kept only as its salted hash (docs/mail.md, "Addresses at rest").
  const record: AdminComment = { ...item, id, moderatedAt, email: null };
  return { record, emailHash: item.email ? await hashEmail(item.email, salt) : null };
}

const EXPORT_PAGE = 500;

// Every record, oldest first, as one JSON array streamed page by page from the ledger (any number of comments).
admin.get("/export", async (c) => {
  const first = await callLedger(c.env, (ledger) => ledger.exportPage(null, EXPORT_PAGE));
  const env = c.env;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let page = first;
      let separator = "[";
      for (;;) {
        for (const record of page) {
          controller.enqueue(encoder.encode(separator + JSON.stringify(record)));
          separator = ",";
        }
        const last = page.at(-1);
        if (page.length < EXPORT_PAGE || !last) break;
        page = await callLedger(env, (ledger) => ledger.exportPage({ createdAt: last.createdAt, id: last.id }, EXPORT_PAGE));
      }
      controller.enqueue(encoder.encode(separator === "[" ? "[]" : "]"));
      controller.close();
    },
  });
  c.header("Content-Disposition", 'attachment; filename="comments-export.json"');
  c.header("Content-Type", "application/json");
  return c.body(body);
});

// The repair: re-derive published threads and counts from the ledger and write them (one post with ?post=, else all).
admin.post("/rebuild", async (c) => {
  const slug = c.req.query("post");
  if (slug !== undefined && !findPost(slug)) throw notFound("There is no such post.");
  const audit = { moderator: actor(c), action: "rebuild" as const };
  const outcome = await callLedger(c.env, (ledger) => ledger.republish({ force: true, posts: slug === undefined ? undefined : [slug], audit }));
  for (const post of slug === undefined ? listPosts().map((p) => p.slug) : [slug]) await purgeThread(c.req.url, post);
  return c.json(outcome);
});

// The v1 migration, and the way to take in anything KV holds that the ledger lacks: walks the comment records a
// bounded number of pages per call from `?cursor=`; repeat with the returned cursor until `done`. Idempotent.
admin.post("/migrate", async (c) => {
  const cursor = c.req.query("cursor") || null;
  const pages = c.req.query("pages") === undefined ? SCAN_PAGES_PER_CALL : Number(c.req.query("pages"));
  if (!Number.isInteger(pages) || pages < 1 || pages > SCAN_PAGES_PER_CALL) throw badRequest(`pages must be a whole number from 1 to ${SCAN_PAGES_PER_CALL}.`);
  const outcome = await scanComments(c.env, cursor, pages, { arrival: false });
  const done = outcome.cursor === null;
  if (done) await callLedger(c.env, (ledger) => ledger.republish({ force: true, audit: { moderator: actor(c), action: "migrate" } }));
  return c.json({ ...outcome, done });
});
