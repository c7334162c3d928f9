// The /admin moderation page against the real worker (wrangler dev) in Chromium, worked from the
// keyboard. The page's newer features are tested against the API contract in admin-moderation.test.ts.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, launchBrowser, NO_BROWSER_REASON } from "../support/browser.ts";
import { startWorker, type RunningWorker } from "../support/wrangler-dev.ts";

const POST = "system-leadership-matters";

if (NO_BROWSER_REASON) console.warn(NO_BROWSER_REASON);

describe.skipIf(NO_BROWSER_REASON !== null)("the /admin moderation page", () => {
  let worker: RunningWorker;
  let browser: Browser;

  beforeAll(async () => {
    worker = await startWorker({ env: "test" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
  });

  async function submit(author: string): Promise<string> {
    const response = await fetch(`${worker.url}/api/comments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ post: POST, author, email: `${author.replace(/\W/g, "")}@example.org`, body: `Comment by ${author}` }),
    });
    expect(response.status).toBe(202);
    return ((await response.json()) as { id: string }).id;
  }

  async function published(): Promise<string[]> {
    const thread = (await (await fetch(`${worker.url}/api/comments?post=${POST}`)).json()) as { comments: { author: string }[] };
    return thread.comments.map((c) => c.author);
  }

  /** Opens /admin and signs in from the keyboard; `bypassCSP` only so axe-core can be injected. */
  async function signIn(token: string, bypassCSP = false): Promise<Page> {
    const page = await (await browser.newContext({ bypassCSP })).newPage();
    await page.goto(`${worker.url}/admin`);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("token");
    await page.keyboard.type(token);
    await page.keyboard.press("Enter");
    return page;
  }

  /** What has focus: an id, else a control's text or label, as a keyboard user would hear it named. */
  const focused = (page: Page) => page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return "";
    if (el.id && !el.id.startsWith("select-")) return `#${el.id}`;
    const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
    return (label ?? el.textContent ?? "").trim();
  });

  it("says after sign-in how far the static site is behind (here: no deploy hook is set)", async () => {
    const page = await signIn(worker.token);
    await expect.poll(() => page.locator("#site-status").textContent()).toMatch(/^Publication version \d+\. No deploy hook is set/);
  });

  it("lets a moderator sign in and approve a pending comment with the keyboard alone", async () => {
    const author = `Keyboard Reader ${Date.now()}`;
    await submit(author);
    const page = await signIn(worker.token);
    await expect.poll(() => page.locator("#comments li", { hasText: author }).count()).toBe(1);
    const card = page.locator("#comments li", { hasText: author });
    expect(await card.textContent()).toContain("System leadership matters");
    // Records keep no address (only its salted hash), so the card cannot show one.
    expect(await card.textContent()).not.toContain("@example.org");

    // From the queue heading: the status tabs, the search, the post filter, Search, Refresh, the bulk controls,
    // then the comments, each a checkbox and its actions.
    await expect.poll(() => focused(page)).toBe("#queue-title");
    const stops: string[] = [];
    for (let i = 0; i < 11; i++) {
      await page.keyboard.press("Tab");
      stops.push(await focused(page));
    }
    expect(stops.map((s) => s.replace(/ \(\d+\)$/, ""))).toEqual(["Pending", "Approved", "Spam", "Rejected", "#q", "#post",
      "Search", "#refresh", "Select all shown", "#bulk-action", "Apply"]);
    for (let i = 0; i < 200 && (await focused(page)) !== `Select the comment by ${author}`; i++) await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await focused(page)).toBe("System leadership matters");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("href"))).toBe("http://localhost:8080/posts/system-leadership-matters/");
    await page.keyboard.press("Tab");
    expect(await focused(page)).toBe("Approve");
    expect(await page.evaluate(() => document.activeElement?.closest("li")?.textContent ?? "")).toContain(author);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#message").textContent()).toBe(`Approved the comment by ${author}.`);
    await expect.poll(published).toContain(author);
    await page.context().close();
  });

  it("moves focus to the next comment after an action, so a queue can be worked through", async () => {
    const first = `First ${Date.now()}`;
    const second = `Second ${Date.now()}`;
    await submit(first);
    await submit(second);
    const page = await signIn(worker.token);
    const firstCard = page.locator("#comments li", { hasText: first });
    await expect.poll(() => firstCard.count()).toBe(1);
    await firstCard.getByRole("button", { name: "Reject" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#message").textContent()).toBe(`Rejected the comment by ${first}.`);
    expect(await page.evaluate(() => document.activeElement?.closest("li")?.textContent ?? "")).toContain(second);
    expect(await published()).not.toContain(first);
    await page.context().close();
  });

  it("refuses a wrong token and shows no data", async () => {
    await submit(`Hidden ${Date.now()}`);
    const page = await signIn("not-the-token");
    await expect.poll(() => page.locator("#message").textContent()).toBe("That token was not accepted. Sign in again.");
    expect(await page.locator("#queue").isHidden()).toBe(true);
    expect(await page.locator("#comments li").count()).toBe(0);
    await page.context().close();
  });

  it("has no axe-core accessibility violations with the queue shown and a comment's edit form open", async () => {
    const author = `Accessible ${Date.now()}`;
    await submit(author);
    const page = await signIn(worker.token, true);
    const card = page.locator("#comments li", { hasText: author });
    await expect.poll(() => card.count()).toBe(1);
    await card.getByRole("button", { name: "Edit" }).click();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("TEXTAREA");
    const violations = await axeViolations(page);
    expect(violations).toEqual([]);
    await page.context().close();
  });
});
