// What every route shares: the Hono environment type and small readers of the request and configuration.
import type { Context, MiddlewareHandler } from "hono";
import { ApiError, badRequest, notFound, StoreUnavailableError } from "./errors.ts";
import { IdSchema, validate } from "../intake/schema.ts";
import type { Moderator } from "../desk/tables.ts";
import type { ModerationLedger } from "../ledger/object.ts";
import type { PostInfo } from "../intake/posts.ts";

export interface AppEnv {
  Bindings: Env;
  /**
   * `post` is set once a submission names a known post, so error pages can link back to it; `moderator` once the
   * admin API has checked the token (worker/desk/auth.ts).
   */
  Variables: { post: PostInfo; moderator: Moderator };
}

export type AppContext = Context<AppEnv>;

/** The one moderation ledger (a Durable Object) of this deployment. */
export function ledgerOf(env: Env): DurableObjectStub<ModerationLedger> {
  return (env.LEDGER as DurableObjectNamespace<ModerationLedger>).getByName("ledger");
}

/** Calls the ledger; a failure to reach it (or one inside it) is a 503, like a KV outage. */
export async function callLedger<T>(env: Env, call: (ledger: DurableObjectStub<ModerationLedger>) => Promise<T>): Promise<T> {
  try {
    return await call(ledgerOf(env));
  } catch (cause) {
    throw new StoreUnavailableError("the moderation ledger failed", { cause });
  }
}

/** The browser origins allowed to post and read cross-origin (ALLOWED_ORIGINS, comma-separated). */
export function allowedOrigins(env: Env): string[] {
  return (env.ALLOWED_ORIGINS ?? "").split(",").map((origin) => origin.trim().replace(/\/+$/, "")).filter(Boolean);
}

/** SITE_URL without a trailing slash: the only place the form path ever redirects to. */
export function siteUrl(env: Env): string {
  return (env.SITE_URL ?? "").replace(/\/+$/, "");
}

/** The client's IP as Cloudflare's edge reports it (clients cannot set this header through Cloudflare). */
export function clientIp(c: AppContext): string | undefined {
  return c.req.header("cf-connecting-ip") ?? undefined;
}

/** The request's media type without parameters, lower-cased ("" when absent). */
export function mediaType(c: AppContext): string {
  return (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Whether this is the page's form posted without JavaScript (answered with redirects and HTML, not JSON). */
export function isFormPost(c: AppContext): boolean {
  return c.req.method === "POST" && mediaType(c) === "application/x-www-form-urlencoded";
}

/** Runs `task` after the response is sent (ctx.waitUntil); a failure is logged and changes nothing else. */
export function runAfterResponse(c: AppContext, label: string, task: () => Promise<unknown>): void {
  const guarded = task().catch((error: unknown) => console.error(`${label} failed`, error));
  try {
    c.executionCtx.waitUntil(guarded);
  } catch {
    // No execution context (app.request in a unit test): the promise still runs to completion on its own.
  }
}

/** A request body that must be a JSON object: 400 when it is not valid JSON or not an object. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest("The request body is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw badRequest("Send a JSON object.");
  return parsed as Record<string, unknown>;
}

const MAX_JSON_BYTES = 16 * 1024;

/** A small JSON object body of a moderator's request (415 for another media type, 413 over 16 KB). */
export async function readJsonBody(c: AppContext): Promise<Record<string, unknown>> {
  if (mediaType(c) !== "application/json") throw new ApiError(415, "unsupported_media_type", "Send application/json.");
  const text = await c.req.text();
  if (text.length > MAX_JSON_BYTES) throw new ApiError(413, "payload_too_large", `A request can be at most ${MAX_JSON_BYTES / 1024} KB.`);
  return parseJsonObject(text);
}

/** Answers of the author's and the moderators' routes are personal: no cache anywhere may keep them. */
export function noStore(): MiddlewareHandler<AppEnv> {
  return async function noStore(c, next) {
    await next();
    c.header("Cache-Control", "no-store");
  };
}

/** The `:id` path parameter; anything that is not a valid id is an unknown comment (404). */
export function commentId(c: AppContext): string {
  const result = validate(IdSchema, c.req.param("id"));
  if (!result.ok) throw notFound("There is no comment with that id.");
  return result.value;
}
