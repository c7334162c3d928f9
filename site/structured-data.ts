// JSON-LD for a post page (https://schema.org/BlogPosting), so search engines read the title, date and author
// from data rather than guessing from the HTML. Issue 9 adds the approved comments here.
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
  };
}
