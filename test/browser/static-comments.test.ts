// Approved comments in the static pages, end to end: the real worker under `wrangler dev`, a real
// production build against it, Debian's Chromium. The build carries the thread; the script adds what was
// approved since, without moving what the reader sees; a build with the service down uses the snapshot.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_BROWSER_REASON } from "../support/browser.ts";
import { runBuild } from "../support/site.ts";
import { SEED_COMMENTS, startStack, type Stack } from "../support/stack.ts";

const POST = "local-leadership-capabilities";

if (NO_BROWSER_REASON) console.warn(NO_BROWSER_REASON);

describe.skipIf(NO_BROWSER_REASON !== null)("approved comments in the static pages", () => {
  let stack: Stack;
  let worker: Stack["worker"];
  let site: Stack["site"];
  let browser: Stack["browser"];
  let siteUrl: string;
  let admin: Stack["admin"];
  const snapshot = join(mkdtempSync(join(tmpdir(), "snapshot-")), "comments.json");

  beforeAll(async () => {
    stack = await startStack({
      snapshot,
      async beforeBuild({ importComments, submit, admin }) {
        await importComments(SEED_COMMENTS);
        await importComments([{ id: "static-reply", post: POST, parentId: "wp-1", author: "Static Reply", email: null, website: null,
          body: "A reply with **bold** and `code`, approved before the build:\n\n- a list\n- [a link](https://example.org/static)", createdAt: "2026-11-01T09:00:00.000Z" }]);
        const id = await submit({ post: POST, author: "Newly Approved", email: "new@example.org", body: "Submitted and approved before the build." });
        expect((await admin(`/comments/${id}/approve`, { method: "POST" })).status).toBe(200);
      },
    });
    ({ worker, site, browser, siteUrl, admin } = stack);
    expect(stack.buildOutput).toContain("3 approved comments");
  });

  afterAll(() => stack?.stop());

  it("shows the thread, nested, with JavaScript disabled", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${site.url}/posts/${POST}/`);
    expect(await page.locator(".comments-title").textContent()).toBe("3 replies on “Local leadership capabilities”");
    expect(await page.locator("#comment-wp-1 .children #comment-static-reply .comment-author").textContent()).toBe("Static Reply");
    expect(await page.locator(".comment-list > li .comment-author", { hasText: "Newly Approved" }).count()).toBe(1);
    expect(await page.locator(".comment-reply").first().isVisible()).toBe(false);
    expect(await page.locator("noscript").count()).toBe(0);
    await page.goto(`${site.url}/`);
    expect(await page.locator(`[data-comment-count="${POST}"]`).textContent()).toBe("3 replies");
    await context.close();
  });

  it("draws a comment's Markdown into the built page: strong, code, list items and a nofollow link", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${site.url}/posts/${POST}/`);
    const content = page.locator("#comment-static-reply > article .comment-content");
    expect(await content.locator("strong").textContent()).toBe("bold");
    expect(await content.locator("code").textContent()).toBe("code");
    expect(await content.locator("ul > li").count()).toBe(2);
    expect(await content.locator("li a").getAttribute("href")).toBe("https://example.org/static");
    expect(await content.locator("li a").getAttribute("rel")).toBe("nofollow ugc noopener");
    await context.close();
  });

  it("scrolls to and marks (:target) the comment a permalink opens, without JavaScript", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1000, height: 500 } });
    const page = await context.newPage();
    await page.goto(`${site.url}/posts/${POST}/#comment-static-reply`);
    const item = page.locator("#comment-static-reply");
    expect(await item.locator(":scope > article .comment-meta > a").getAttribute("href")).toBe("#comment-static-reply");
    expect(await item.evaluate((el) => el.matches(":target"))).toBe(true);
    expect(await item.locator(":scope > .comment-body").evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(255, 249, 196)");
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    expect(await item.evaluate((el) => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().top < innerHeight)).toBe(true);
    await context.close();
  });

  it("adds a comment approved after the build without shifting the layout (CLS 0)", async () => {
    const id = await stack.submit({ post: POST, author: "Late Approval", email: "late@example.org", body: "Approved after the build." });
    expect((await admin(`/comments/${id}/approve`, { method: "POST" })).status).toBe(200);

    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    await context.addInitScript(() => {
      const shifts: number[] = [];
      (window as unknown as { __shifts: number[] }).__shifts = shifts;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
          if (!entry.hadRecentInput) shifts.push(entry.value);
        }
      }).observe({ type: "layout-shift", buffered: true });
    });
    const page = await context.newPage();
    await page.goto(`${site.url}/posts/${POST}/`);
    await expect.poll(() => page.locator(`#comment-${id}`).count()).toBe(1);
    expect(await page.locator(".comments-title").textContent()).toBe("4 replies on “Local leadership capabilities”");
    expect(await page.locator("li.comment").count()).toBe(4);
    expect(await page.locator(".comment-reply").first().isVisible()).toBe(true);
    await page.waitForTimeout(300);
    const shifts = await page.evaluate(() => (window as unknown as { __shifts: number[] }).__shifts);
    expect(shifts.reduce((sum, value) => sum + value, 0)).toBe(0);
    await context.close();
  });

  it("builds from the snapshot, and says so, when the service is down", async () => {
    await worker.stop();
    const { dir, output } = await runBuild({ SITE_URL: siteUrl, COMMENTS_API_URL: worker.url, COMMENTS_SNAPSHOT: snapshot });
    expect(output).toMatch(/could not be reached .*using the snapshot saved/);
    const html = readFileSync(join(dir, "posts", POST, "index.html"), "utf8");
    expect(html).toContain("Dr Richard Jones");
    expect(html).toContain("Static Reply");
    expect(html).toContain("Newly Approved");
  });
});
