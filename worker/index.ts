// The comment service, assembled: the middleware every request passes, the routes by who calls them (worker/http/),
// the one error handler, the crons by name and the ledger's Durable Object class; the logic lives in the folders.
// The app is exported so tests can call `app.fetch(request, env, ctx)` with an amended env (for example
// TURNSTILE_SECRET set); the default export is what Cloudflare runs.
import { Hono } from "hono";
import { cors } from "hono/cors";
import { adminPage } from "./desk/admin-page.ts";
import { type AppContext, type AppEnv, allowedOrigins } from "./http/context.ts";
import { handleError } from "./http/error-handler.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { rejectForeignOrigins } from "./intake/guard.ts";
import { drainInbox, reconcile } from "./publish/reconcile.ts";
import { type ScheduleName, scheduleNamed } from "./schedules.ts";
import { act } from "./http/routes/act.ts";
import { admin } from "./http/routes/admin.ts";
import { author } from "./http/routes/author.ts";
import { comments } from "./http/routes/comments.ts";
import { mail } from "./http/routes/mail.ts";

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

app.use("*", securityHeaders());

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
// The links in reader mail: confirm a subscription, unsubscribe (one-click, RFC 8058).
app.route("/mail", mail);

app.notFound((c) => c.json({ error: "not_found", message: "There is nothing at this address." }, 404));

app.onError(handleError);

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
