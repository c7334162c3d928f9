// The public API: read a post's approved thread, read counts, submit a comment (JSON or the plain form).
// Thin: validate -> guard -> store -> respond. Reads cost at most one KV read on a cache miss and never write.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { type AppContext, type AppEnv, clientIp, isFormPost, mediaType, moderationFor, runAfterResponse, siteUrl } from "../context.ts";
import { ApiError, badRequest, invalidFields, notFound } from "../errors.ts";
import { enforceRateLimit, enforceTurnstile, isHoneypotFilled, TURNSTILE_FIELD } from "../guard.ts";
import { createId, hashEmail } from "../ids.ts";
import { publishPost } from "../moderation.ts";
import { buildNotification, sendNotification } from "../notify.ts";
import { findPost, listPosts, type PostInfo } from "../posts.ts";
import { fromCache, publicJson, purgeThread, threadCacheKey } from "../read-cache.ts";
import { MAX_COUNT_POSTS, MAX_SUBMISSION_BYTES, SubmissionSchema, SLUG_MAX, validate } from "../schema.ts";
import { getComment, isTrusted, putComment, readCounts, readThread, readThreads, type AdminComment } from "../store.ts";
import { withContent } from "../thread.ts";

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
async function readFields(c: AppContext): Promise<Record<string, unknown>> {
  const type = mediaType(c);
  // Decoded as UTF-8 by hand: workerd warns when .text() reads a form body.
  const text = type === "application/json" || isFormPost(c) ? new TextDecoder().decode(await c.req.arrayBuffer()) : null;
  if (text === null) throw new ApiError(415, "unsupported_media_type", "Send the comment as application/json or a form.");
  if (isFormPost(c)) {
    const fields: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(text)) if (!(key in fields)) fields[key] = value;
    return fields;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest("The request body is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw badRequest("Send a JSON object.");
  return parsed as Record<string, unknown>;
}

/** Success, as the client expects it: 202 JSON, or for the plain form a 303 back to the post (never elsewhere). */
function accepted(c: AppContext, id: string, status: string, post: PostInfo | undefined): Response {
  if (!isFormPost(c)) return c.json({ id, status }, 202);
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

// Every published thread in one response, for a static build (issue 9): one KV read per 100 posts, public data only.
comments.get("/all", async (c) => {
  const posts = listPosts();
  const threads = await readThreads(c.env.COMMENTS, posts.map((p) => p.slug));
  const all: Record<string, { title: string; url: string; count: number; comments: unknown[] }> = {};
  for (const p of posts) {
    const thread = (threads.get(p.slug) ?? []).map(withContent);
    all[p.slug] = { title: p.title, url: p.url, count: thread.length, comments: thread };
  }
  return publicJson({ posts: all });
});

comments.post("/", bodyLimit({ maxSize: MAX_SUBMISSION_BYTES, onError: tooLarge }), async (c) => {
  const fields = await readFields(c);
  const named = typeof fields.post === "string" ? findPost(fields.post.trim()) : undefined;
  if (named) c.set("post", named);
  // A bot that filled the honeypot is told it succeeded; nothing is stored or sent.
  if (isHoneypotFilled(fields)) return accepted(c, createId(), "pending", named);

  const result = validate(SubmissionSchema, fields);
  if (!result.ok) throw invalidFields(result.fields);
  const input = result.value;
  const post = findPost(input.post);
  if (!post) throw new ApiError(404, "not_found", "There is no such post.", { fields: { post: "There is no such post." } });

  const ip = clientIp(c);
  await enforceRateLimit(c.env.COMMENT_RL, ip, c.env.IP_HASH_SALT);
  await enforceTurnstile(c.env.TURNSTILE_SECRET, fields[TURNSTILE_FIELD], ip);
  if (input.parentId !== null) {
    const parent = await getComment(c.env.COMMENTS, input.parentId);
    if (!parent || parent.post !== post.slug || parent.status !== "approved") {
      throw new ApiError(404, "not_found", "The comment you reply to is not there.", {
        fields: { parentId: "The comment you reply to is not there." },
      });
    }
  }

  const emailHash = await hashEmail(input.email, c.env.IP_HASH_SALT);
  const returning = c.env.AUTO_APPROVE_RETURNING === "true" && (await isTrustedSafely(c, emailHash));
  const now = new Date().toISOString();
  const record: AdminComment = {
    id: createId(),
    ...input,
    post: post.slug,
    createdAt: now,
    status: returning ? "approved" : "pending",
    moderatedAt: returning ? now : null,
  };
  await putComment(c.env.COMMENTS, record, emailHash);

  if (returning) {
    // The only public-path write beyond the comment's own key, off by default: re-derived, so a lost race is
    // repaired by the next publish or rebuild, and it runs after the response.
    runAfterResponse(c, "auto-approve publish", async () => {
      await publishPost(moderationFor(c.env), post.slug, { record });
      await purgeThread(c.req.url, post.slug);
    });
  }
  const webhook = c.env.NOTIFY_WEBHOOK_URL;
  if (webhook) {
    const payload = buildNotification(record, post.title, new URL("/admin", c.req.url).href);
    runAfterResponse(c, "moderator notification", () => sendNotification(webhook, payload));
  }
  return accepted(c, record.id, record.status, post);
});

/** The returning-commenter lookup must never cost a reader their comment: on a KV error, moderate as usual. */
function isTrustedSafely(c: AppContext, emailHash: string): Promise<boolean> {
  return isTrusted(c.env.COMMENTS, emailHash).catch(() => false);
}
