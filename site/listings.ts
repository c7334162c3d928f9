// How much each list of posts shows. A blog's pages that list posts are rebuilt after every edit and
// downloaded by every visitor and feed reader, so only the archive and the topic pages grow with the blog,
// and those stay compact (title and date). Measured at 4,000 posts, full-text feeds of every post were
// 30 MB each and the home page 2.9 MB.

/** What the listing filters need of a collection item. */
export interface Dated {
  date: Date;
}

/** How many posts each list holds. */
export const LIST_SIZES = {
  /** The home page: the newest posts with their summaries, then a link to the archive. */
  home: 10,
  /** Both feeds, full text, as eleventy-base-blog does: readers poll them, and keep what they have seen. */
  feed: 20,
  /**
   * The comment feeds (site/comment-feeds.ts): the whole site's latest comments at /comments.xml, and each post's
   * latest at /posts/<slug>/comments.xml. Comments are short, so more of them fit a feed than posts do.
   */
  commentFeed: 50,
} as const;

/**
 * The newest `limit` items of a collection (Eleventy sorts collections oldest first), newest first;
 * all of them when `limit` is omitted. Never changes the collection itself.
 */
export function newest<T>(items: readonly T[], limit = items.length): T[] {
  return limit <= 0 ? [] : items.slice(-limit).reverse();
}

/** One year of the archive. */
export interface YearGroup<T> {
  year: number;
  items: T[];
}

/** Splits items sorted newest first into years, newest year first (the archive's and topic pages' headings). */
export function byYear<T extends Dated>(items: readonly T[]): YearGroup<T>[] {
  const groups: YearGroup<T>[] = [];
  for (const item of items) {
    const year = item.date.getUTCFullYear();
    const last = groups.at(-1);
    if (last?.year === year) last.items.push(item);
    else groups.push({ year, items: [item] });
  }
  return groups;
}
