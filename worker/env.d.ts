// Secrets and optional settings that `wrangler types` cannot see (they live in .dev.vars or `wrangler secret put`),
// and the main module type so tests get typed `exports.default` from "cloudflare:workers".
interface WorkerSecrets {
  /** Bearer token for /api/admin/*; unset = moderation API off (503). */
  MODERATOR_TOKEN?: string;
  /** Salt for the hashed rate-limit key and the returning-commenter email hash. */
  IP_HASH_SALT?: string;
  /** Cloudflare Turnstile secret; set = every submission needs a valid token. */
  TURNSTILE_SECRET?: string;
  /** Slack/Discord-compatible incoming webhook told about each new comment. */
  NOTIFY_WEBHOOK_URL?: string;
  /** Asked (POST) to rebuild the static site after a moderation action: a Pages deploy hook or a CI webhook. */
  DEPLOY_HOOK_URL?: string;
  /** Sent as the hook's Authorization header, e.g. "Bearer <token>" for GitHub's repository_dispatch. */
  DEPLOY_HOOK_AUTHORIZATION?: string;
  /** The first wait between two deploy-hook calls, in seconds (default 60), doubling while the site lags, up to an hour. */
  DEPLOY_HOOK_MIN_INTERVAL_SECONDS?: string;
  /** Signs the one-click Approve/Reject/Spam links in notifications (HMAC-SHA256); unset = no links, /admin/act 404. */
  LINK_SECRET?: string;
  /** Signs the "manage my comments" link in every mail (HMAC-SHA256, worker/mail/manage-link.ts); unset = no link, /mail/manage 404. */
  MANAGE_SECRET?: string;
  /** How long after submitting an author may edit or delete their comment, in seconds (default 900: 15 minutes). */
  EDIT_WINDOW_SECONDS?: string;
  /** "true": an author's edit of an approved comment keeps it approved (default: it returns to pending). */
  EDIT_KEEPS_APPROVAL?: string;
  /** The keys that seal email addresses at rest (worker/mail/address-seal.ts): `id:base64key,...`; unset = mail off. */
  MAIL_KEYS?: string;
  /** How mail leaves: "cloudflare" (default: the EMAIL binding), "dev" (npm start: .mail/), "record" (tests). */
  MAIL_TRANSPORT?: string;
  /** Where the "dev" transport POSTs each message (scripts/dev.ts writes it into .mail/). */
  MAIL_DEV_URL?: string;
  /** Messages a day at most (default 90, worker/mail/settings.ts). */
  MAIL_DAILY_LIMIT?: string;
  /** Minutes between two notifications to one recipient (default 15); replies meanwhile are merged. */
  MAIL_RECIPIENT_GAP_MINUTES?: string;
  /** The first retry's delay in seconds (default 60), growing fourfold with each try. */
  MAIL_RETRY_BASE_SECONDS?: string;
  /** The ledger's gap between two writes of one KV key, in ms (default 1000, production KV's own rule; only a KV that allows more, like the local emulator, may be given less). */
  KV_WRITE_SPACING_MS?: string;
}

interface Env extends WorkerSecrets {}

declare namespace Cloudflare {
  interface Env extends WorkerSecrets {}
  interface GlobalProps {
    mainModule: typeof import("./index");
  }
}
