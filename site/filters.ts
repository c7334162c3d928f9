// Template filters. Each is a small pure function so the tests can call it without a build.
import type { CollectionItem } from "@11ty/eleventy";

/** Tags Eleventy or this site use for their own collections, never shown to readers as topics. */
const INTERNAL_TAGS = new Set(["all", "posts"]);

const READABLE_DATE = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  // Post dates are calendar days (YAML dates are midnight UTC): format them in UTC so no zone shifts the day.
  timeZone: "UTC",
});

/**
 * Remembers each date's text: the archive, the topic pages and the posts format the same few thousand days tens of
 * thousands of times a build, and formatting a date costs far more than looking it up.
 */
function memoizeByTime(format: (date: Date) => string): (date: Date) => string {
  const texts = new Map<number, string>();
  return (date) => {
    let text = texts.get(date.getTime());
    if (text === undefined) texts.set(date.getTime(), (text = format(date)));
    return text;
  };
}

/** "24 September 2012", as a British reader writes it. */
export const readableDate = memoizeByTime((date) => READABLE_DATE.format(date));

/** "2012-09-24", for `<time datetime>` and the sitemap. */
export const isoDate = memoizeByTime((date) => date.toISOString().slice(0, 10));

/** Joins a root-relative path to the site's base URL (feeds, canonical links and OpenGraph need absolute URLs). */
export function absoluteUrl(path: string, base: string): string {
  return new URL(path, `${base}/`).href;
}

/** The tags an author gave a post, without the internal ones. */
export function userTags(tags: unknown): string[] {
  const list = Array.isArray(tags) ? tags : typeof tags === "string" ? [tags] : [];
  return list.filter((tag): tag is string => typeof tag === "string" && !INTERNAL_TAGS.has(tag));
}

/** Posts without drafts: feeds and the sitemap never list a draft, even in the `npm start` preview. */
export function published(posts: CollectionItem[]): CollectionItem[] {
  return posts.filter((post) => post.data.draft !== true);
}
