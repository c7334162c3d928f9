// Data every post shares (Eleventy directory data): the layout, the `posts` collection, and the URL.
// Each post's `summary` is set by site/summaries.ts.

interface PostData {
  page: { fileSlug: string };
}

export default {
  layout: "post.njk",
  tags: ["posts"],
  // The slug is the file name, wherever under posts/ the file sits (every post is published at /posts/<slug>/).
  permalink: (data: PostData) => `/posts/${data.page.fileSlug}/`,
};
