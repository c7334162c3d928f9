// The moderator API: every route needs `Authorization: Bearer <MODERATOR_TOKEN>` (auth.ts). No CORS: only the
// same-origin /admin page and non-browser clients (the moderation CLI) use it.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requireModerator } from "../auth.ts";
import { type AppContext, type AppEnv, mediaType, moderationFor, runAfterResponse } from "../context.ts";
import { ApiError, badRequest, invalidFields, notFound } from "../errors.ts";
import { requestSiteRebuild } from "../deploy-hook.ts";
import * as moderation from "../moderation.ts";
import { findPost, listPosts } from "../posts.ts";
import { purgeThread } from "../read-cache.ts";
import { getComment } from "../store.ts";
import { IdSchema, ImportSchema, MAX_IMPORT_BYTES, StatusSchema, validate } from "../schema.ts";

export const admin = new Hono<AppEnv>();

admin.use("*", requireModerator());
admin.use("*", async function noStore(c, next) {
  await next();
  c.header("Cache-Control", "no-store");
});
// Every successful change (approve, reject, delete, import, rebuild) may change what the static pages show.
admin.use("*", async function rebuildSiteAfterChange(c, next) {
  await next();
  if (c.req.method !== "GET" && c.res.ok && c.env.DEPLOY_HOOK_URL) {
    runAfterResponse(c, "deploy hook", () => requestSiteRebuild(c.env));
  }
});

/** The `:id` path parameter; anything that is not a valid id is an unknown comment (404). */
function commentId(c: AppContext): string {
  const result = validate(IdSchema, c.req.param("id"));
  if (!result.ok) throw notFound("There is no comment with that id.");
  return result.value;
}

const unknownComment = () => notFound("There is no comment with that id.");

admin.get("/comments", async (c) => {
  const status = c.req.query("status") || undefined;
  const checked = status === undefined ? undefined : validate(StatusSchema, status);
  if (checked && !checked.ok) throw badRequest("status must be pending, approved or rejected.");
  const post = c.req.query("post") || undefined;
  const records = await moderation.listQueue(moderationFor(c.env), { status: checked?.value, post });
  const posts = Object.fromEntries(listPosts().map((p) => [p.slug, { title: p.title, url: p.url }]));
  return c.json({ comments: records, posts });
});

admin.get("/comments/:id", async (c) => {
  const record = await getComment(c.env.COMMENTS, commentId(c));
  if (!record) throw unknownComment();
  return c.json({ comment: record, postTitle: findPost(record.post)?.title ?? null });
});

for (const [action, status] of [["approve", "approved"], ["reject", "rejected"]] as const) {
  admin.post(`/comments/:id/${action}`, async (c) => {
    const updated = await moderation.setStatus(moderationFor(c.env), commentId(c), status);
    if (!updated) throw unknownComment();
    await purgeThread(c.req.url, updated.post);
    return c.json({ id: updated.id, status: updated.status, moderatedAt: updated.moderatedAt });
  });
}

admin.delete("/comments/:id", async (c) => {
  const deleted = await moderation.deleteComment(moderationFor(c.env), commentId(c));
  if (!deleted) throw unknownComment();
  await purgeThread(c.req.url, deleted.post);
  return c.body(null, 204);
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
    const outcome = await moderation.importComments(moderationFor(c.env), result.value);
    for (const post of new Set(result.value.map((item) => item.post))) await purgeThread(c.req.url, post);
    return c.json(outcome);
  },
);

admin.get("/export", async (c) => {
  const records = await moderation.exportComments(moderationFor(c.env));
  c.header("Content-Disposition", 'attachment; filename="comments-export.json"');
  return c.json(records);
});

// The repair: re-derive published threads and counts from the records (one post with ?post=, else all).
admin.post("/rebuild", async (c) => {
  const slug = c.req.query("post");
  const m = moderationFor(c.env);
  if (slug) {
    if (!findPost(slug)) throw notFound("There is no such post.");
    await moderation.publishPost(m, slug);
    await purgeThread(c.req.url, slug);
    return c.json({ posts: 1 });
  }
  const outcome = await moderation.rebuildAll(m, { force: true });
  for (const post of m.posts) await purgeThread(c.req.url, post.slug);
  return c.json(outcome);
});
