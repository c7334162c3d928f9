// The comment feeds' entries: each post's approved comments as Atom entries, built once a build from the same
// comment data the post pages draw (site/comments-data.ts: approved comments only) and with the very content markup
// the thread draws (client/markup.ts). The templates, site/pages/comments-atom.njk (/comments.xml) and
// post-comments-atom.njk (/posts/<slug>/comments.xml), only write them out with the RSS plugin's date filters.
import type { CollectionApi, CollectionItem } from "@11ty/eleventy";
import type { Comment } from "../client/api.ts";
import { commentContent, safeHref } from "../client/markup.ts";
import { toHtml } from "./comment-thread.ts";
import type { BuildComments } from "./comments-data.ts";
import { published } from "./filters.ts";
import { LIST_SIZES } from "./listings.ts";

/** One approved comment as a feed entry. */
export interface CommentEntry {
  /** The comment's permalink on its post page (root-relative), the anchor the thread gives it; also the entry's id. */
  url: string;
  /** "Comment by Name on “Post”", or "Reply by Name to Name on “Post”". */
  title: string;
  author: string;
  /** The commenter's website, when it is an http(s) URL (the thread links no other). */
  authorUri: string | null;
  /** The permalink of the comment it answers, for readers that thread replies (RFC 4685), or null. */
  inReplyTo: string | null;
  /** When it was written. Approved comments carry no later time: an entry's published and updated are this. */
  date: Date;
  /** The content as HTML: allow-listed tags only, every text escaped. The template escapes it again (type="html"). */
  html: string;
}

/** One post's comment feed: only posts with at least one approved comment have one. */
export interface PostCommentFeed {
  slug: string;
  title: string;
  /** The post page, root-relative. */
  url: string;
  /** The post's newest comments, newest first, at most LIST_SIZES.commentFeed. */
  entries: CommentEntry[];
}

// XML 1.0 forbids these characters even escaped, and one of them would make the whole feed unreadable. The worker
// refuses control characters in what readers send; a feed built from data fetched over the network stays valid anyway.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** The text without the characters XML cannot carry. */
export function xmlSafe(text: string): string {
  return text.replace(NOT_XML, "");
}

/** A post's approved comments as entries, newest first, at most `limit`. */
export function commentEntries(thread: readonly Comment[], post: { title: string; url: string }, limit: number = LIST_SIZES.commentFeed): CommentEntry[] {
  const authors = new Map(thread.map((comment) => [comment.id, comment.author]));
  return thread
    .map((comment) => ({ comment, date: new Date(comment.createdAt) }))
    .sort((a, b) => b.date.getTime() - a.date.getTime())
    .slice(0, Math.max(limit, 0))
    .map(({ comment, date }) => {
      const author = xmlSafe(comment.author);
      const parent = comment.parentId ? authors.get(comment.parentId) : undefined;
      const by = parent === undefined ? `Comment by ${author}` : `Reply by ${author} to ${parent}`;
      return {
        url: `${post.url}#comment-${comment.id}`,
        inReplyTo: parent === undefined ? null : `${post.url}#comment-${comment.parentId}`,
        title: xmlSafe(`${by} on “${post.title}”`),
        author,
        authorUri: safeHref(comment.website),
        date,
        html: xmlSafe(commentContent(comment).children.map(toHtml).join("")),
      };
    });
}

/** The comment feeds of the given posts: one for each published post that has approved comments. */
export function postCommentFeeds(posts: readonly CollectionItem[], comments: BuildComments, limit: number = LIST_SIZES.commentFeed): PostCommentFeed[] {
  return published([...posts]).flatMap((post) => {
    const thread = comments.threads[post.fileSlug] ?? [];
    if (thread.length === 0) return [];
    const feed = { slug: post.fileSlug, title: String(post.data.title), url: post.url };
    return [{ ...feed, entries: commentEntries(thread, feed, limit) }];
  });
}

/** The newest `limit` entries of all the feeds, newest first: the whole site's comment feed. */
export function latestCommentEntries(feeds: readonly PostCommentFeed[], limit: number = LIST_SIZES.commentFeed): CommentEntry[] {
  return feeds
    .flatMap((feed) => feed.entries)
    .sort((a, b) => b.date.getTime() - a.date.getTime())
    .slice(0, Math.max(limit, 0));
}

/**
 * The `commentFeeds` collection, which post-comments-atom.njk paginates: one feed per post with comments, so a
 * build pays for the posts people comment on, not for every post. The comments are global data (.eleventy.ts),
 * so every post carries the same object.
 */
export function collectCommentFeeds(api: CollectionApi): PostCommentFeed[] {
  const posts = api.getFilteredByTag("posts");
  const comments = posts[0]?.data.comments as BuildComments | undefined;
  return comments ? postCommentFeeds(posts, comments) : [];
}
