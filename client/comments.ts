// The page's comment script (bundled by esbuild into /assets/comments.js, an ES module, so deferred).
// Post pages: brings the thread the build drew up to date and enhances the form. Home page: fills in each post's count.
// Pages read perfectly without it; when the service is down it says so and changes nothing else.
import { fetchCounts, fetchThread } from "./api.ts";
import { enhanceForm, takeBack } from "./form.ts";
import { h, replies } from "./markup.ts";
import { toDom, updateThread } from "./thread.ts";

const api = document.body.dataset.commentsApi?.replace(/\/$/, "") ?? "";
const section = document.querySelector<HTMLElement>("#comments[data-post]");

async function loadThread(section: HTMLElement, thread: HTMLElement): Promise<void> {
  try {
    const comments = await fetchThread(api, section.dataset.post ?? "");
    updateThread(thread, comments, section.dataset.postTitle ?? "");
    // A permalink (#comment-ID) to a comment approved after the build: the browser found nothing to scroll to,
    // and :target never applies to an element added later, so the script does both once it is drawn.
    const target = document.getElementById(location.hash.slice(1));
    if (target && !target.matches(":target")) {
      target.classList.add("is-target");
      target.scrollIntoView();
    }
  } catch {
    // The comments the build put in the page stay; the reader is told they may not be the latest.
    thread.append(toDom(h("p", { class: "notice comments-unavailable" }, "The latest comments could not be loaded right now. You can still leave a comment below.")));
  }
}

async function loadCounts(links: HTMLElement[]): Promise<void> {
  try {
    // The service answers at most 100 posts a request: one request for a page of up to 100 posts.
    const slugs = links.map((link) => link.dataset.commentCount ?? "");
    const batches = [];
    for (let i = 0; i < slugs.length; i += 100) batches.push(fetchCounts(api, slugs.slice(i, i + 100)));
    const counts = Object.assign({}, ...(await Promise.all(batches))) as Record<string, number>;
    for (const link of links) {
      const count = counts[link.dataset.commentCount ?? ""] ?? 0;
      link.textContent = count === 0 ? "No replies yet" : replies(count);
      link.hidden = false;
    }
  } catch {
    // The counts are a nicety: without them the home page is complete.
  }
}

if (api && section) {
  const thread = section.querySelector<HTMLElement>("#comment-thread");
  // The reader's own new comments are drawn once the thread is up to date (an approved one is in it).
  if (thread) void loadThread(section, thread).then(takeBack);
  enhanceForm(section, api);
}
const countLinks = [...document.querySelectorAll<HTMLElement>("[data-comment-count]")];
if (api && countLinks.length > 0) void loadCounts(countLinks);
