// JSON-LD for a post page (https://schema.org/BlogPosting), so search engines read the title, date and author
// from data rather than guessing from the HTML, approved comments included (https://schema.org/Comment).
import type { Comment } from "../client/api.ts";
import { cleanContent, safeHref } from "../client/markup.ts";
import { textOf } from "../worker/render/content.ts";
import type { SiteMetadata } from "./metadata.ts";

/** What a post page knows about itself when its layout renders. */
export interface PostSummary {
  title: string;
  summary: string;
  date: Date;
  author: string;
  /** Root-relative URL, e.g. /posts/system-leadership-matters/. */
  url: string;
  tags: string[];
  /** The approved comments drawn into the page, oldest first. */
  comments?: Comment[];
}

/** The BlogPosting object for one post. */
export function blogPosting(post: PostSummary, site: SiteMetadata): Record<string, unknown> {
  const url = new URL(post.url, `${site.url}/`).href;
  return {
    "@context": "https://schema.org",
    "@type": "BlogPosting",
    headline: post.title,
    description: post.summary,
    datePublished: post.date.toISOString(),
    author: { "@type": "Person", name: post.author },
    publisher: { "@type": "Organization", name: site.publisher, url: `${site.url}/` },
    mainEntityOfPage: { "@type": "WebPage", "@id": url },
    url,
    inLanguage: site.language,
    ...(post.tags.length > 0 ? { keywords: post.tags.join(", ") } : {}),
    commentCount: post.comments?.length ?? 0,
    ...(post.comments?.length ? { comment: post.comments.map((c) => commentItem(c, url)) } : {}),
  };
}

function commentItem(comment: Comment, postUrl: string): Record<string, unknown> {
  const website = safeHref(comment.website);
  return {
    "@type": "Comment",
    "@id": `${postUrl}#comment-${comment.id}`,
    author: { "@type": "Person", name: comment.author, ...(website ? { url: website } : {}) },
    dateCreated: comment.createdAt,
    // The words readers see, without the Markdown or imported HTML they were written in.
    text: comment.content ? textOf(cleanContent(comment.content)) : comment.body,
    ...(comment.parentId ? { parentItem: { "@id": `${postUrl}#comment-${comment.parentId}` } } : {}),
  };
}
