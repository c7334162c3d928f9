// The comment service: assembles the Hono app from the public and moderator routes, the one error
// handler and the cron repair. The app is exported so tests can call `app.fetch(request, env, ctx)` with an
// amended env (for example TURNSTILE_SECRET set); the default export is what Cloudflare runs.
import { Hono } from "hono";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { adminPage } from "./desk/admin-page.ts";
import { type AppContext, type AppEnv, allowedOrigins, isFormPost, siteUrl } from "./http/context.ts";
import { ApiError, RETRY_AFTER_UNAVAILABLE_SECONDS, StoreUnavailableError } from "./http/errors.ts";
import { FORM_PAGE_CSP, renderFormErrorPage } from "./http/form-page.ts";
import { rejectForeignOrigins } from "./intake/guard.ts";
import { drainInbox, reconcile } from "./publish/reconcile.ts";
import { type ScheduleName, scheduleNamed } from "./schedules.ts";
import { act } from "./http/routes/act.ts";
import { admin } from "./http/routes/admin.ts";
import { author } from "./http/routes/author.ts";
import { comments } from "./http/routes/comments.ts";

/**
 * The scheduled jobs by name (the crons that run them: schedules.ts). The site rebuild is not one of them: the ledger's
 * alarm asks for it and checks it (publish/deploy-hook.ts).
 */
const JOBS: Record<ScheduleName, (env: Env) => Promise<void>> = {
  // Submissions that could not reach the ledger.
  inbox: async (env) => {
    const outcome = await drainInbox(env);
    if (outcome.added > 0) console.log("inbox taken in", outcome);
  },
  // The next pages of the walk through KV, and the outbox's safety net.
  reconcile: async (env) => console.log("scheduled reconcile", await reconcile(env)),
};

// The moderation ledger's Durable Object class must be exported by the main module (wrangler.toml binds it).
export { ModerationLedger } from "./ledger/object.ts";

export const app = new Hono<AppEnv>();

app.use("*", async function securityHeaders(c, next) {
  await next();
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "no-referrer");
  if (!c.res.headers.has("Content-Security-Policy")) {
    c.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  }
});

// Public routes: browsers on the blog's origins may read and post; other origins get no CORS grant, and their
// writes and preflights are refused outright (403). Never credentials: the public API has no cookies.
app.use("/api/comments/*", rejectForeignOrigins());
app.use(
  "/api/comments/*",
  cors({
    origin: (origin, c: AppContext) => (allowedOrigins(c.env).includes(origin) ? origin : null),
    // PATCH, DELETE and Authorization: an author's edit or delete of their own comment, with its edit token.
    allowMethods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
    allowHeaders: ["Content-Type", "Authorization"],
    exposeHeaders: ["Retry-After"],
    maxAge: 7200,
  }),
);

app.get("/api/health", (c) => c.json({ ok: true }));
// Browsers ask for it on /admin; an empty answer keeps their consoles free of 404s.
app.get("/favicon.ico", (c) => c.body(null, 204));
app.route("/api/comments", comments);
app.route("/api/comments", author);
app.route("/api/admin", admin);
// Before the page: the page's headers middleware would otherwise apply to the links' pages too.
app.route("/admin/act", act);
app.route("/admin", adminPage);

app.notFound((c) => c.json({ error: "not_found", message: "There is nothing at this address." }, 404));

const STATUS_CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "validation_failed",
  429: "rate_limited",
  503: "unavailable",
};

/** Every failure, as `{ error, message, fields? }` (or an HTML page for the no-JavaScript form). */
app.onError((err, c) => {
  let error: ApiError;
  if (err instanceof ApiError) error = err;
  else if (err instanceof StoreUnavailableError) {
    console.error(err.message, err.cause);
    error = new ApiError(503, "unavailable", "Comments are briefly unavailable. Please try again in a moment.", {
      headers: { "Retry-After": String(RETRY_AFTER_UNAVAILABLE_SECONDS) },
    });
  } else if (err instanceof HTTPException && err.status < 500) {
    error = new ApiError(err.status, STATUS_CODES[err.status] ?? "bad_request", err.message || "The request was not understood.");
  } else {
    console.error("unexpected error", err);
    error = new ApiError(500, "internal_error", "Something went wrong on our side.");
  }
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  if (isFormPost(c) && c.req.path === "/api/comments") {
    const post = c.get("post");
    c.header("Content-Security-Policy", FORM_PAGE_CSP);
    const backUrl = `${siteUrl(c.env)}${post ? `${post.url}#respond` : "/"}`;
    return c.html(renderFormErrorPage({ message: error.message, fields: error.fields, backUrl }), error.status as 400);
  }
  const body = { error: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) };
  return c.json(body, error.status as 400);
});

export default {
  fetch: app.fetch,
  /** The crons (wrangler.toml [triggers]), each run by the job the schedules table names; an unknown one does nothing. */
  async scheduled(controller, env, ctx) {
    const name = scheduleNamed(controller.cron);
    if (name === null) {
      console.warn(`unknown schedule "${controller.cron}": no job is named for it in worker/schedules.ts; ignored`);
      return;
    }
    ctx.waitUntil(JOBS[name](env));
  },
} satisfies ExportedHandler<Env>;
