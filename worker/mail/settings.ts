// Whether mail is on, and its limits. Mail needs a sender (MAIL_FROM), the comment service's public address for the
// links (COMMENTS_API_URL) and the key that seals addresses (the MAIL_KEYS secret); without all three, the form's
// "Email me when someone replies" is ignored and nothing is queued. The limits are named here, with their defaults.
import type { MailLinks } from "./templates.ts";

/**
 * The most messages a day (UTC) the outbox sends: below the Email Service's conservative starting daily quota, and
 * 90 a day keeps within the 3,000 a month Workers Paid includes. Mail over it waits for the next day.
 */
export const MAIL_DAILY_LIMIT_DEFAULT = 90;
/** At most one notification per recipient per this many minutes; replies arriving meanwhile go in the next one. */
export const MAIL_RECIPIENT_GAP_MINUTES_DEFAULT = 15;
/** The first retry's delay; each later one waits four times longer (1 min, 4, 16, 64). */
export const MAIL_RETRY_BASE_SECONDS_DEFAULT = 60;
/** Sends tried before a mail shows as failed in the delivery log. */
export const MAIL_MAX_ATTEMPTS = 5;

export interface MailSettings {
  from: string;
  links: MailLinks;
  dailyLimit: number;
  recipientGapMs: number;
  retryBaseMs: number;
  /** Signs the "manage my comments" link every mail carries (mail/manage-link.ts); null: mails carry none. */
  manageSecret: string | null;
}

const number = (value: string | undefined, fallback: number) => {
  const parsed = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isFinite(parsed) && parsed >= 0 ? parsed : fallback;
};

/** The mail settings, or null when mail is off (MAIL_FROM, COMMENTS_API_URL or MAIL_KEYS unset). */
export function mailSettings(env: Env): MailSettings | null {
  if (!env.MAIL_FROM || !env.COMMENTS_API_URL || !env.MAIL_KEYS) return null;
  return {
    from: env.MAIL_FROM,
    links: { serviceUrl: env.COMMENTS_API_URL.replace(/\/+$/, ""), siteUrl: (env.SITE_URL ?? "").replace(/\/+$/, "") },
    dailyLimit: number(env.MAIL_DAILY_LIMIT, MAIL_DAILY_LIMIT_DEFAULT),
    recipientGapMs: number(env.MAIL_RECIPIENT_GAP_MINUTES, MAIL_RECIPIENT_GAP_MINUTES_DEFAULT) * 60_000,
    retryBaseMs: number(env.MAIL_RETRY_BASE_SECONDS, MAIL_RETRY_BASE_SECONDS_DEFAULT) * 1000,
    manageSecret: env.MANAGE_SECRET || null,
  };
}
