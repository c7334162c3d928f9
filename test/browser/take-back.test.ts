// "Take it back" in Chromium: the author of a new comment sees Edit and Delete on it, can withdraw or
// change it within the window, and after the window the buttons are gone and the same call with the token is refused.
// The worker runs with EDIT_WINDOW_SECONDS=20 (production: 900) so the test can wait for a window to pass; the
// token, the ledger's check and the browser's storage are the real ones.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, NO_BROWSER_REASON } from "../support/browser.ts";
import { startStack, type Stack } from "../support/stack.ts";

const POST = "system-leadership-matters";
const WINDOW_SECONDS = 20;

if (NO_BROWSER_REASON) console.warn(NO_BROWSER_REASON);

interface Stored {
  t: string;
  u: number;
  p: string;
  b: string;
}

describe.skipIf(NO_BROWSER_REASON !== null)("taking a comment back in the browser", () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ headers: true, vars: { EDIT_WINDOW_SECONDS: String(WINDOW_SECONDS) } });
  });

  afterAll(() => stack?.stop());

  async function openPost(options: { bypassCSP?: boolean } = {}): Promise<Page> {
    const context = await stack.browser.newContext(options);
    const page = await context.newPage();
    await page.goto(`${stack.site.url}/posts/${POST}/`);
    return page;
  }

  async function sendComment(page: Page, author: string, body: string): Promise<void> {
    await page.fill("#comment-body", body);
    await page.fill("#comment-author", author);
    await page.fill("#comment-email", "author@example.org");
    await page.click("#comment-form button[type=submit]");
    await expect.poll(() => page.locator("#comment-status").textContent()).toBe("Your comment is awaiting moderation.");
  }

  async function stored(page: Page): Promise<Record<string, Stored>> {
    return page.evaluate(() => JSON.parse(localStorage.getItem("commentEdits") ?? "{}") as Record<string, Stored>);
  }

  /** The id of the one comment storage holds (the module keeps it just after the status line says it was sent). */
  async function storedId(page: Page): Promise<string> {
    await expect.poll(async () => Object.keys(await stored(page)).length).toBe(1);
    return Object.keys(await stored(page))[0]!;
  }

  async function queued(author: string): Promise<{ id: string; body: string }[]> {
    const { comments } = (await (await stack.admin("/comments")).json()) as { comments: { id: string; author: string; body: string }[] };
    return comments.filter((c) => c.author === author);
  }

  it("lets the author delete their own pending comment within the window, from the keyboard: gone from the page, the queue and storage", async () => {
    const author = `Hasty ${Date.now()}`;
    const page = await openPost();
    await sendComment(page, author, "Sent before I\nmeant to.");
    const block = page.locator(".comment-pending");
    await expect.poll(() => block.count()).toBe(1);
    expect(await block.locator(".comment-own-text").textContent()).toBe("Sent before I\nmeant to.");
    const id = await storedId(page);
    expect((await queued(author)).map((c) => c.id)).toEqual([id]);
    // What storage holds: the token, the deadline, the post and the text; never the email or the name.
    const entry = (await stored(page))[id]!;
    expect(Object.keys(entry).sort()).toEqual(["b", "p", "t", "u"]);
    expect(JSON.stringify(entry)).not.toContain("author@example.org");

    await block.getByRole("button", { name: "Delete" }).focus();
    await page.keyboard.press("Enter");
    const confirm = block.getByRole("button", { name: "Confirm delete" });
    await expect.poll(() => confirm.count()).toBe(1);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#comment-status").textContent()).toBe("Your comment is deleted.");
    expect(await block.count()).toBe(0);
    expect(await queued(author)).toEqual([]);
    expect(await stored(page)).toEqual({});
    await page.context().close();
  });

  it("keeps Edit working after a reload, then after the window hides the buttons, forgets the token and the same call is refused", async () => {
    const author = `Second thoughts ${Date.now()}`;
    const page = await openPost();
    await sendComment(page, author, "Frist version.");
    const id = await storedId(page);
    const { t: token, u: until } = (await stored(page))[id]!;

    await page.reload();
    const block = page.locator(".comment-pending");
    await block.getByRole("button", { name: "Edit" }).click();
    await block.getByRole("textbox", { name: "Edit your comment" }).fill("First version, corrected.");
    await block.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.locator("#comment-status").textContent()).toBe("Your comment is updated and is awaiting moderation.");
    expect((await queued(author)).map((c) => c.body)).toEqual(["First version, corrected."]);
    expect(await block.locator(".comment-own-text").textContent()).toBe("First version, corrected.");
    // The focus comes back to the comment's Edit button, so a keyboard user stays where they were.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Edit");

    // The window ends: the page drops the buttons (and the entry) by itself, without a reload.
    await expect.poll(() => page.locator(".comment-own").count(), { timeout: until - Date.now() + 5000 }).toBe(0);
    expect(await stored(page)).toEqual({});

    const late = await fetch(`${stack.worker.url}/api/comments/${id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}`, origin: stack.siteUrl },
    });
    expect(late.status).toBe(403);
    expect(await late.json()).toMatchObject({ error: "edit_window_closed" });
    expect((await queued(author)).map((c) => c.id)).toEqual([id]);
    await page.context().close();
  });

  it("shows Edit and Delete on the author's approved comment in the thread, and an edit takes it back to moderation", async () => {
    const author = `Approved ${Date.now()}`;
    const page = await openPost();
    await sendComment(page, author, "Worth approving.");
    const id = await storedId(page);
    expect((await stack.admin(`/comments/${id}/approve`, { method: "POST" })).status).toBe(200);
    await page.reload();
    const item = page.locator(`#comment-${id}`);
    await expect.poll(() => item.locator(".comment-own button").allTextContents()).toEqual(["Edit", "Delete"]);
    expect(await page.locator(".comment-pending").count()).toBe(0);

    await item.getByRole("button", { name: "Edit" }).click();
    await item.getByRole("textbox", { name: "Edit your comment" }).fill("Changed after approval.");
    await item.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.locator("#comment-status").textContent()).toBe("Your comment is updated and is awaiting moderation.");
    expect(await page.locator(`#comment-${id}`).count()).toBe(0);
    expect(await page.locator(".comment-pending .comment-own-text").textContent()).toBe("Changed after approval.");
    const thread = (await (await fetch(`${stack.worker.url}/api/comments?post=${POST}`)).json()) as { comments: { id: string }[] };
    expect(thread.comments.map((c) => c.id)).not.toContain(id);
    await page.context().close();
  });

  it("has no axe-core accessibility violations with the author's buttons and with the editor open", async () => {
    // axe is injected as an inline script, which the site's CSP forbids: this context alone bypasses it.
    const page = await openPost({ bypassCSP: true });
    await sendComment(page, `Accessible ${Date.now()}`, "Checking the buttons.");
    await expect.poll(() => page.locator(".comment-pending .comment-own button").count()).toBe(2);
    const audit = () => axeViolations(page);
    expect(await audit()).toEqual([]);
    await page.locator(".comment-pending").getByRole("button", { name: "Edit" }).click();
    expect(await audit()).toEqual([]);
    await page.context().close();
  });
});
