// The site's metadata, in one place. Deploys override the two URLs with
// environment variables; the defaults are what `npm start` serves locally (site on :8080, worker on :8787).

/** What every template sees as `site`. */
export interface SiteMetadata {
  title: string;
  description: string;
  /** The organisation that publishes the blog (JSON-LD publisher, feed rights). */
  publisher: string;
  /** Absolute origin (and optional path) of the published site, without a trailing slash. */
  url: string;
  /** Where the comment service (the worker) answers, without a trailing slash. */
  commentsApiUrl: string;
  /** BCP 47 language tag for `<html lang>` and the feeds. */
  language: string;
  /** The same language as an OpenGraph locale (`og:locale` wants an underscore). */
  locale: string;
}

export const DEFAULT_SITE_URL = "http://localhost:8080";
export const DEFAULT_COMMENTS_API_URL = "http://localhost:8787";

/** Parses an absolute http(s) URL from the environment, failing the build with the variable's name if it is not one. */
export function readUrl(name: string, value: string | undefined, fallback: string): string {
  const raw = value?.trim() || fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name} must be an absolute URL like https://example.org (got ${JSON.stringify(raw)})`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`${name} must be an http(s) URL (got ${JSON.stringify(raw)})`);
  }
  // Templates join paths that start with "/", so the base never ends with one.
  return url.href.replace(/\/+$/, "");
}

/** Reads the site metadata from `env` (normally `process.env`). */
export function readSiteMetadata(env: Record<string, string | undefined>): SiteMetadata {
  return {
    title: "Leadership Academy",
    description: "News and views on leadership in health and care from the NHS Leadership Academy.",
    publisher: "NHS Leadership Academy",
    url: readUrl("SITE_URL", env.SITE_URL, DEFAULT_SITE_URL),
    commentsApiUrl: readUrl("COMMENTS_API_URL", env.COMMENTS_API_URL, DEFAULT_COMMENTS_API_URL),
    language: "en-GB",
    locale: "en_GB",
  };
}
