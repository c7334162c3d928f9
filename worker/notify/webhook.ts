// Tells moderators about a new comment: a JSON POST to NOTIFY_WEBHOOK_URL that Slack and Discord incoming webhooks
// both accept (Slack reads `text`, Discord reads `content`; each ignores the other's fields). It runs after the
// response (ctx.waitUntil), so a slow or failing webhook never delays or fails a submission; failures are logged.
import type { ActionUrls } from "../desk/action-links.ts";
import type { AdminComment } from "../publish/kv-store.ts";

export const EXCERPT_MAX = 200;

export interface NotificationPayload {
  text: string;
  content: string;
  allowed_mentions: { parse: never[] };
  post: string;
  postTitle: string;
  author: string;
  excerpt: string;
  status: string;
  link: string;
  /** The signed one-click links (worker/desk/action-links.ts), when LINK_SECRET is set. */
  approveUrl?: string;
  rejectUrl?: string;
  spamUrl?: string;
}

/** The first EXCERPT_MAX characters of the comment on one line. */
export function excerptOf(body: string): string {
  const line = body.replace(/\s+/g, " ").trim();
  return line.length <= EXCERPT_MAX ? line : `${line.slice(0, EXCERPT_MAX - 1)}…`;
}

// Slack treats <, > and & as markup (https://api.slack.com/reference/surfaces/formatting#escaping).
const escapeSlack = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The webhook payload for a new comment; `link` is the worker's /admin page, `actions` the one-click links. */
export function buildNotification(record: AdminComment, postTitle: string, adminUrl: string, actions: ActionUrls | null = null): NotificationPayload {
  const excerpt = excerptOf(record.body);
  const state = record.status === "approved" ? "approved automatically (returning commenter)" : "awaiting moderation";
  const headline = (s: (x: string) => string) => `New comment on “${s(postTitle)}” by ${s(record.author)}, ${state}:`;
  const slackActions = actions ? ` · <${actions.approveUrl}|Approve> · <${actions.rejectUrl}|Reject> · <${actions.spamUrl}|Spam>` : "";
  const plainActions = actions ? `\nApprove: ${actions.approveUrl}\nReject: ${actions.rejectUrl}\nSpam: ${actions.spamUrl}` : "";
  return {
    text: `${headline(escapeSlack)}\n> ${escapeSlack(excerpt)}\n<${adminUrl}|Moderate>${slackActions}`,
    content: `${headline((s) => s)}\n> ${excerpt}\nModerate: ${adminUrl}${plainActions}`,
    // Discord: never ping @everyone or anyone named in a reader's text.
    allowed_mentions: { parse: [] },
    post: record.post,
    postTitle,
    author: record.author,
    excerpt,
    status: record.status,
    link: adminUrl,
    ...(actions ?? {}),
  };
}

/** Posts the payload; throws when the webhook cannot be reached or refuses it (the caller logs). */
export async function sendNotification(url: string, payload: NotificationPayload): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(payload),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`webhook answered ${response.status}`);
}
