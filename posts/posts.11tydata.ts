// Data every post shares (Eleventy directory data): the layout, the `posts` collection, and the URL.
import { excerptOf } from "../site/markdown.ts";

interface PostData {
  intro?: string;
  page: { fileSlug: string; rawInput?: string };
}

export default {
  layout: "post.njk",
  tags: ["posts"],
  // The slug is the file name, wherever under posts/ the file sits (brief: /posts/<slug>/).
  permalink: (data: PostData) => `/posts/${data.page.fileSlug}/`,
  eleventyComputed: {
    // The one summary used by the home page, tag pages, feeds and the meta description.
    summary: (data: PostData) => data.intro ?? excerptOf(data.page.rawInput ?? ""),
  },
};
