// The public API: read a post's approved thread, read counts, submit a comment (JSON or the plain form).
// Thin: validate -> guard -> store -> respond. Reads cost at most one KV read on a cache miss and never write.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { type AppContext, type AppEnv, callLedger, clientIp, isFormPost, ledgerOf, mediaType, parseJsonObject, runAfterResponse, siteUrl } from "../context.ts";
import { ApiError, badRequest, invalidFields, notFound } from "../errors.ts";
import { enforceRateLimit, enforceTurnstile, isHoneypotFilled, TURNSTILE_FIELD } from "../../intake/guard.ts";
import { createEditToken, editWindowMs, hashEditToken } from "../../intake/edit-token.ts";
import { createId, hashEmail } from "../../intake/ids.ts";
import { buildActionUrls } from "../../desk/action-links.ts";
import { buildNotification, sendNotification } from "../../notify/webhook.ts";
import { findPost, listPosts, type PostInfo } from "../../intake/posts.ts";
import { allThreadsCacheKey, fromCache, publicJson, purgeThread, threadCacheKey } from "../../publish/read-cache.ts";
import { MAX_COUNT_POSTS, MAX_SUBMISSION_BYTES, type Status, SubmissionSchema, SLUG_MAX, validate } from "../../intake/schema.ts";
import { putComment, putInbox, readCounts, readThread, type AdminComment } from "../../publish/kv-store.ts";
import { buildThread, withContent } from "../../publish/thread.ts";
import { readAddressKeys, sealAddress } from "../../mail/address-seal.ts";
import { mailSettings } from "../../mail/settings.ts";

export const comments = new Hono<AppEnv>();

const tooLarge = () => {
  throw new ApiError(413, "payload_too_large", `A comment request can be at most ${MAX_SUBMISSION_BYTES / 1024} KB.`);
};

/** The `post` query parameter, which must name a published post (400 when missing, 404 when unknown). */
function requirePost(slug: string | undefined): PostInfo {
  if (!slug) throw badRequest("Give the post's slug: ?post=<slug>.");
  const post = slug.length <= SLUG_MAX ? findPost(slug) : undefined;
  if (!post) throw notFound("There is no such post.");
  return post;
}

/** The submitted fields as a plain object, from JSON or the form encoding (415 for anything else). */
export async function readFields(c: AppContext): Promise<Record<string, unknown>> {
  const type = mediaType(c);
  // Decoded as UTF-8 by hand: workerd warns when .text() reads a form body.
  const text = type === "application/json" || isFormPost(c) ? new TextDecoder().decode(await c.req.arrayBuffer()) : null;
  if (text === null) throw new ApiError(415, "unsupported_media_type", "Send the comment as application/json or a form.");
  if (isFormPost(c)) {
    const fields: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(text)) if (!(key in fields)) fields[key] = value;
    return fields;
  }
  return parseJsonObject(text);
}

/**
 * Success, as the client expects it: 202 JSON (with the author's edit token when the ledger holds its grant), or for
 * the plain form a 303 back to the post (never elsewhere, and never a token: without the script there is no storage).
 */
function accepted(c: AppContext, id: string, status: string, post: PostInfo | undefined, edit?: { editToken: string; editableUntil: string }): Response {
  if (!isFormPost(c)) return c.json({ id, status, ...edit }, 202);
  return c.redirect(`${siteUrl(c.env)}${post ? `${post.url}#comment-submitted` : "/"}`, 303);
}

comments.get("/", async (c) => {
  const post = requirePost(c.req.query("post"));
  return fromCache(
    threadCacheKey(c.req.url, post.slug),
    async () => {
      const thread = (await readThread(c.env.COMMENTS, post.slug)).map(withContent);
      return { post: post.slug, count: thread.length, comments: thread };
    },
    (task) => runAfterResponse(c, "cache put", task),
  );
});

comments.get("/counts", async (c) => {
  const requested = c.req.queries("post") ?? listPosts().map((p) => p.slug);
  if (requested.length > MAX_COUNT_POSTS) throw badRequest(`Ask for at most ${MAX_COUNT_POSTS} posts at once.`);
  const stored = await readCounts(c.env.COMMENTS);
  const counts = Object.fromEntries(requested.map((slug) => [slug, Object.hasOwn(stored, slug) ? (stored[slug] ?? 0) : 0]));
  return publicJson({ counts });
});

// Every published thread in one response, for a static build, with the publication version they make up: public
// data only. Read from the ledger, not KV: KV is eventually consistent key by key, so threads read from it could
// mix versions and no version number could be promised for them; the ledger returns the version and the threads from
// one synchronous step. The build asked to bake version N polls this until `version` >= N. A copy is kept at the
// edge (as for a thread, purged by every action in its data centre), so repeated reads cost the ledger nothing.
comments.get("/all", async (c) =>
  fromCache(
    allThreadsCacheKey(c.req.url),
    async () => {
      const { version, comments: approved } = await callLedger(c.env, (ledger) => ledger.publishedComments());
      const byPost = Map.groupBy(approved, (record) => record.post);
      const posts: Record<string, { title: string; url: string; count: number; comments: unknown[] }> = {};
      for (const p of listPosts()) {
        const thread = buildThread(byPost.get(p.slug) ?? [], p.slug);
        posts[p.slug] = { title: p.title, url: p.url, count: thread.length, comments: thread };
      }
      return { version, posts };
    },
    (task) => runAfterResponse(c, "cache put", task),
  ),
);

comments.post("/", bodyLimit({ maxSize: MAX_SUBMISSION_BYTES, onError: tooLarge }), async (c) => {
  const fields = await readFields(c);
  const named = typeof fields.post === "string" ? findPost(fields.post.trim()) : undefined;
  if (named) c.set("post", named);
  // A bot that filled the honeypot is told it succeeded; nothing is stored or sent.
  if (isHoneypotFilled(fields)) return accepted(c, createId(), "pending", named);

  const result = validate(SubmissionSchema, fields);
  if (!result.ok) throw invalidFields(result.fields);
  const { subscribe, ...input } = result.value;
  const post = findPost(input.post);
  if (!post) throw new ApiError(404, "not_found", "There is no such post.", { fields: { post: "There is no such post." } });

  const ip = clientIp(c);
  await enforceRateLimit(c.env.COMMENT_RL, ip, c.env.IP_HASH_SALT);
  await enforceTurnstile(c.env.TURNSTILE_SECRET, fields[TURNSTILE_FIELD], ip);
  if (input.parentId !== null && !(await canReplyTo(c, input.parentId, post.slug))) {
    throw new ApiError(404, "not_found", "The comment you reply to is not there.", {
      fields: { parentId: "The comment you reply to is not there." },
    });
  }

  const emailHash = await hashEmail(input.email, c.env.IP_HASH_SALT);
  let record: AdminComment = {
    id: createId(),
    ...input,
    // Stored records carry the salted hash (the ledger's column, the KV key's metadata), never the address.
    email: null,
    post: post.slug,
    createdAt: new Date().toISOString(),
    status: "pending",
    moderatedAt: null,
  };
  // KV first: once this write succeeds the comment is kept, whatever happens to the ledger call below.
  await putComment(c.env.COMMENTS, record, emailHash);
  // A comment a rule marks spam is answered like any pending one (nothing tells a spammer) but not notified.
  let spam = false;
  // The author's edit token: only script submissions get one, and only once the ledger holds its hash.
  const editToken = isFormPost(c) ? null : createEditToken();
  let edit: { editToken: string; editableUntil: string } | undefined;
  try {
    const ledger = ledgerOf(c.env);
    const options = { autoApproveReturning: c.env.AUTO_APPROVE_RETURNING === "true" };
    let status: Status | "deleted";
    if (editToken) {
      const until = Date.parse(record.createdAt) + editWindowMs(c.env);
      const taken = await ledger.ingestEditable({ record, emailHash }, options, { tokenHash: await hashEditToken(editToken), until });
      status = taken.status;
      if (taken.editable) edit = { editToken, editableUntil: new Date(until).toISOString() };
    } else {
      status = await ledger.ingest({ record, emailHash }, options);
    }
    spam = status === "spam";
    if (subscribe && (status === "pending" || status === "approved")) await watchReplies(c, record.id, emailHash, input.email);
    if (status === "approved") {
      record = { ...record, status, moderatedAt: record.createdAt };
      await purgeThread(c.req.url, post.slug);
    }
  } catch (error) {
    // The ledger is unreachable: the comment waits in KV, and the inbox key lets the cron take it in within five
    // minutes (the hourly walk finds it even if this write fails too). No edit token then: no grant was recorded.
    console.error("ledger ingest failed; the comment waits in the inbox", error);
    await putInbox(c.env.COMMENTS, record.id).catch((inboxError: unknown) => console.error("inbox write failed", inboxError));
  }
  const webhook = c.env.NOTIFY_WEBHOOK_URL;
  if (webhook && !spam) {
    const actions = await buildActionUrls(c.env, new URL(c.req.url).origin, record.id);
    const payload = buildNotification(record, post.title, new URL("/admin", c.req.url).href, actions);
    runAfterResponse(c, "moderator notification", () => sendNotification(webhook, payload));
  }
  return accepted(c, record.id, record.status, post, edit);
});

/**
 * Records the author's wish to be mailed about replies (when mail is on: MAIL_KEYS, MAIL_FROM, COMMENTS_API_URL).
 * The address is sealed here and only sealed leaves the request. A failure loses the subscription, never the comment.
 */
async function watchReplies(c: AppContext, commentId: string, emailHash: string, address: string): Promise<void> {
  try {
    const keys = mailSettings(c.env) ? await readAddressKeys(c.env.MAIL_KEYS) : null;
    if (!keys) return;
    const sealed = await sealAddress(address, keys);
    await ledgerOf(c.env).watchReplies(commentId, emailHash, sealed);
  } catch (error) {
    console.error("reply subscription failed", error instanceof Error ? error.message : "unknown error");
  }
}

/**
 * Whether a reader may reply to this comment (an approved one on the same post). When the ledger cannot be asked,
 * the reply is taken anyway: it is held for a moderator like every comment, so nothing unchecked is published.
 */
function canReplyTo(c: AppContext, parentId: string, post: string): Promise<boolean> {
  return callLedger(c.env, (ledger) => ledger.canReplyTo(parentId, post)).catch(() => true);
}
