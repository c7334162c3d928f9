// The baseline of the site-build benchmark (bench/site-build.ts): bare Eleventy 3 on the same generated posts. One
// Markdown collection (posts/posts.json tags every post "posts"), one plain layout, no plugins, no filters, no extra
// pages. Like the project's .eleventy.ts, Markdown is not run through a template engine first, so the two builds differ
// only by what the project adds (its pages, feeds, checks, filters and the client bundle).
export const config = {
  templateFormats: ["md", "njk"],
  markdownTemplateEngine: false,
  dir: { includes: "_includes" },
};
