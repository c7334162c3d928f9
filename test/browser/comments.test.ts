// What a reader sees in a real browser: the built site served on loopback, the real worker under
// `wrangler dev`, Debian's Chromium. Each test makes its own comments and never depends on another.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, NO_BROWSER_REASON } from "../support/browser.ts";
import { SEED_COMMENTS, startStack, type Stack } from "../support/stack.ts";

const POST = "local-leadership-capabilities";
const OTHER_POST = "system-leadership-matters";

if (NO_BROWSER_REASON) console.warn(NO_BROWSER_REASON);

describe.skipIf(NO_BROWSER_REASON !== null)("comments in the browser", () => {
  let stack: Stack;
  let worker: Stack["worker"];
  let site: Stack["site"];
  let browser: Stack["browser"];
  let admin: Stack["admin"];

  beforeAll(async () => {
    stack = await startStack();
    ({ worker, site, browser, admin } = stack);
    // After the build, as `npm start` does: the page's script must draw the old site's reply by itself.
    await stack.importComments(SEED_COMMENTS);
  });

  afterAll(() => stack?.stop());

  async function approveByAuthor(author: string): Promise<string> {
    const { comments } = (await (await admin("/comments?status=pending")).json()) as { comments: { id: string; author: string }[] };
    const comment = comments.find((c) => c.author === author);
    expect(comment, `a pending comment by ${author}`).toBeDefined();
    expect((await admin(`/comments/${comment!.id}/approve`, { method: "POST" })).status).toBe(200);
    return comment!.id;
  }

  function importApproved(post: string, comments: { id: string; author: string; body: string; website?: string | null; parentId?: string | null; byBlog?: boolean }[]): Promise<void> {
    return stack.importComments(comments.map((c) => ({ post, email: null, website: null, parentId: null, createdAt: "2026-11-01T10:00:00.000Z", ...c })));
  }

  async function openPost(slug: string, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true });
    const page = await context.newPage();
    await page.goto(`${site.url}/posts/${slug}/`);
    return page;
  }

  async function fillForm(page: Page, fields: { body: string; author: string; email: string; website?: string }): Promise<void> {
    await page.fill("#comment-body", fields.body);
    await page.fill("#comment-author", fields.author);
    await page.fill("#comment-email", fields.email);
    if (fields.website) await page.fill("#comment-website", fields.website);
  }

  it("shows the shipped reply from the old site under its post", async () => {
    const page = await openPost(POST);
    await expect.poll(() => page.locator(".comments-title").textContent()).toBe("1 reply on “Local leadership capabilities”");
    expect(await page.locator(".comment-author").first().textContent()).toBe("Dr Richard Jones");
    await page.context().close();
  });

  it("lets a reader post a comment that appears, with the count on the home page, once a moderator approves it", async () => {
    const author = `Reader ${Date.now()}`;
    const page = await openPost(OTHER_POST);
    await fillForm(page, { body: "A thoughtful reply.\n\nWith a second paragraph.", author, email: "reader@example.org" });
    await page.click("#comment-form button[type=submit]");
    await expect.poll(() => page.locator("#comment-status").textContent()).toBe("Your comment is awaiting moderation.");
    expect(await page.inputValue("#comment-body")).toBe("");
    expect(await page.locator(".comment-author", { hasText: author }).count()).toBe(0);

    await approveByAuthor(author);
    await page.reload();
    const comment = page.locator(".comment", { hasText: author });
    await expect.poll(() => comment.count()).toBe(1);
    expect(await comment.locator(".comment-content p").count()).toBe(2);

    const home = await page.context().newPage();
    await home.goto(`${site.url}/`);
    const counts = await (await fetch(`${worker.url}/api/comments/counts?post=${OTHER_POST}`)).json() as { counts: Record<string, number> };
    await expect.poll(() => home.locator(`[data-comment-count="${OTHER_POST}"]`).textContent())
      .toBe(counts.counts[OTHER_POST] === 1 ? "1 reply" : `${counts.counts[OTHER_POST]} replies`);
    await page.context().close();
  });

  it("nests a reply under the comment it answers, and Cancel reply puts the form back", async () => {
    const parent = `Parent ${Date.now()}`;
    await importApproved(POST, [{ id: `parent-${Date.now()}`, author: parent, body: "Top-level comment." }]);
    const page = await openPost(POST);
    const parentItem = page.locator(".comment", { hasText: parent }).first();
    await parentItem.locator("button.comment-reply").first().click();
    expect(await page.locator("#reply-title").textContent()).toBe(`Reply to ${parent}`);
    expect(await parentItem.locator("#comment-form").count()).toBe(1);
    await page.click(".cancel-reply");
    expect(await parentItem.locator("#comment-form").count()).toBe(0);

    await parentItem.locator("button.comment-reply").first().click();
    const child = `Child ${Date.now()}`;
    await fillForm(page, { body: "I am a reply.", author: child, email: "child@example.org" });
    await page.click("#comment-form button[type=submit]");
    await expect.poll(() => page.locator("#comment-status").textContent()).toBe("Your comment is awaiting moderation.");
    await approveByAuthor(child);
    await page.reload();
    const nested = page.locator(".comment", { hasText: parent }).first().locator(".children .comment-author", { hasText: child });
    await expect.poll(() => nested.count()).toBe(1);
    await page.context().close();
  });

  it("works without JavaScript: the form posts, the worker redirects back and the page says the comment awaits moderation", async () => {
    const author = `No-JS reader ${Date.now()}`;
    const page = await openPost(POST, { javaScriptEnabled: false });
    expect(await page.locator("#comment-submitted").isVisible()).toBe(false);
    await fillForm(page, { body: "Posted with JavaScript off.", author, email: "nojs@example.org" });
    await Promise.all([page.waitForURL(/#comment-submitted$/), page.click("#comment-form button[type=submit]")]);
    expect(page.url()).toBe(`${site.url}/posts/${POST}/#comment-submitted`);
    expect(await page.locator("#comment-submitted").isVisible()).toBe(true);
    const { comments } = (await (await admin("/comments?status=pending")).json()) as { comments: { author: string }[] };
    expect(comments.some((c) => c.author === author)).toBe(true);
    await page.context().close();
  });

  it("shows hostile names, bodies and websites as plain text and runs nothing", async () => {
    const stamp = Date.now();
    const payloads = [
      `<script>window.__xss = 1</script>`,
      `<img src=x onerror="window.__xss = 2">`,
      `"><svg onload=window.__xss=3>`,
      `javascript:window.__xss=4`,
    ];
    await importApproved(POST, payloads.map((payload, i) => ({
      id: `xss-${stamp}-${i}`, author: `${payload} ${i}`, body: `${payload}\nhttps://example.org/ok ${payload}`,
      website: `https://example.org/"onmouseover="window.__xss=${i}`,
    })));
    const page = await openPost(POST);
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => { dialogs.push(dialog.message()); void dialog.dismiss(); });
    await page.reload();
    await expect.poll(() => page.locator(".comment-author", { hasText: payloads[0]! }).count()).toBe(1);
    for (const payload of payloads) expect(await page.locator(".comment-content", { hasText: payload }).count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator("#comment-thread script, #comment-thread img, #comment-thread svg").count()).toBe(0);
    const hrefs = await page.locator("#comment-thread .comment-author a, #comment-thread .comment-content a").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^https?:\/\//);
    expect(dialogs).toEqual([]);
    await page.context().close();
  });

  it("puts validation errors next to the right fields and focuses the first", async () => {
    const page = await openPost(POST);
    await fillForm(page, { body: "Fine text", author: "Someone", email: "not-an-email", website: "ftp://example.org" });
    await page.click("#comment-form button[type=submit]");
    await expect.poll(() => page.locator("#comment-email-error").count()).toBe(1);
    expect(await page.getAttribute("#comment-email", "aria-describedby")).toBe("comment-email-error");
    expect(await page.getAttribute("#comment-email", "aria-invalid")).toBe("true");
    expect(await page.locator("#comment-website-error").count()).toBe(1);
    expect(await page.locator("#comment-author-error").count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("comment-email");
    expect(await page.inputValue("#comment-body")).toBe("Fine text");
    await page.context().close();
  });

  it("keeps the reader's text and says what happened when the service cannot be reached", async () => {
    const page = await openPost(POST);
    await page.context().route(`${worker.url}/**`, (route) => route.abort("connectionrefused"));
    await fillForm(page, { body: "Please do not lose this.", author: "Patient reader", email: "patient@example.org" });
    await page.click("#comment-form button[type=submit]");
    await expect.poll(() => page.locator("#comment-status").textContent()).toContain("could not reach the comment service");
    expect(await page.inputValue("#comment-body")).toBe("Please do not lose this.");

    await page.context().unroute(`${worker.url}/**`);
    await page.context().route(`${worker.url}/api/comments`, (route) =>
      route.fulfill({ status: 503, headers: { "retry-after": "30", "access-control-allow-origin": "*" }, contentType: "application/json", body: '{"error":"unavailable","message":"Storage is unavailable"}' }));
    await page.click("#comment-form button[type=submit]");
    await expect.poll(() => page.locator("#comment-status").textContent()).toContain("error 503");
    expect(await page.inputValue("#comment-body")).toBe("Please do not lose this.");

    await page.context().route(`${worker.url}/api/comments?**`, (route) => route.abort("connectionrefused"));
    await page.reload();
    await expect.poll(() => page.locator(".comments-unavailable").count()).toBe(1);
    expect(await page.locator("article h1").textContent()).toBe("Local leadership capabilities");
    await page.context().close();
  });

  it("asks for the counts of a long home page in batches of 100, the most the service takes", async () => {
    const context = await browser.newContext();
    // 148 more post links, added once the page is parsed and before the deferred comment script runs.
    await context.addInitScript(() => {
      document.addEventListener("readystatechange", () => {
        if (document.readyState !== "interactive") return;
        for (let i = 0; i < 148; i++) {
          const link = document.createElement("a");
          link.dataset.commentCount = `post-${i}`;
          link.hidden = true;
          document.querySelector("main")?.append(link);
        }
      });
    });
    const page = await context.newPage();
    const asked: number[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/api/comments/counts")) asked.push(new URL(request.url()).searchParams.getAll("post").length);
    });
    await page.goto(`${site.url}/`);
    await expect.poll(() => page.locator('[data-comment-count="post-147"]').textContent()).toBe("No replies yet");
    expect(asked.sort((a, b) => b - a)).toEqual([100, 50]);
    await context.close();
  });

  it("draws a comment's Markdown in the live thread: strong, code, a list and a nofollow link, with <script> as text", async () => {
    const id = `formatted-${Date.now()}`;
    await importApproved(POST, [{ id, author: "Formatter", body: "**bold** and `code` <script>window.__xss = 5</script>\n\n- first\n- [a link](https://example.org/live)" }]);
    const page = await openPost(POST);
    const content = page.locator(`#comment-${id} .comment-content`);
    await expect.poll(() => content.count()).toBe(1);
    expect(await content.locator("strong").textContent()).toBe("bold");
    expect(await content.locator("code").textContent()).toBe("code");
    expect(await content.locator("li").count()).toBe(2);
    expect(await content.locator("li a").getAttribute("href")).toBe("https://example.org/live");
    expect(await content.locator("li a").getAttribute("rel")).toBe("nofollow ugc noopener");
    expect(await content.locator("p").first().textContent()).toBe("bold and code <script>window.__xss = 5</script>");
    expect(await page.locator("#comment-thread script").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await page.context().close();
  });

  it("scrolls to and marks a permalinked comment that the script drew after the page loaded", async () => {
    const id = `permalink-${Date.now()}`;
    await importApproved(POST, [{ id, author: "Linked To", body: "Link straight to me." }]);
    const context = await browser.newContext({ viewport: { width: 1000, height: 500 } });
    const page = await context.newPage();
    await page.goto(`${site.url}/posts/${POST}/#comment-${id}`);
    const item = page.locator(`#comment-${id}`);
    await expect.poll(() => item.getAttribute("class")).toBe("comment is-target");
    expect(await item.locator(".comment-meta > a").getAttribute("href")).toBe(`#comment-${id}`);
    expect(await item.locator(":scope > .comment-body").evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(255, 249, 196)");
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    expect(await item.evaluate((el) => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().top < innerHeight)).toBe(true);
    await context.close();
  });

  it("shows the Author badge on the blog's own reply, and never on a reader's who asked for it", async () => {
    const stamp = Date.now();
    await importApproved(POST, [{ id: `blog-${stamp}`, author: "Leadership Academy", body: "From the blog.", byBlog: true }]);
    const claimant = `Claimant ${stamp}`;
    // The page's own script never sends these fields; a reader could, by hand.
    const claim = { post: POST, author: claimant, email: "claim@example.org", body: "I am the author.", byBlog: true, role: "author" };
    await stack.submit(claim as Parameters<Stack["submit"]>[0]);
    await approveByAuthor(claimant);
    const page = await openPost(POST);
    await expect.poll(() => page.locator(".comment", { hasText: claimant }).count()).toBe(1);
    expect(await page.locator(`#comment-blog-${stamp} .comment-badge`).textContent()).toBe("Author");
    expect(await page.locator(".comment", { hasText: claimant }).locator(".comment-badge").count()).toBe(0);
    await page.context().close();
  });

  it("has no axe-core accessibility violations on the home page and a post page with comments", async () => {
    for (const path of ["/", `/posts/${POST}/`]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${site.url}${path}`);
      await page.waitForLoadState("networkidle");
      const violations = await axeViolations(page);
      expect(violations, path).toEqual([]);
      await context.close();
    }
  });
});
