// "Manage my comments" in Chromium, from the keyboard: a commenter opens the page from the signed link a mail carries,
// deletes one comment after its confirm step, then erases everything after the confirm step that shows the counts.
// Against the real worker under `wrangler dev` (its ledger and local KV), with axe-core on every page.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashEmail } from "../../worker/intake/ids.ts";
import { MANAGE_LINK_TTL_DAYS, signManageToken } from "../../worker/mail/manage-link.ts";
import { axeViolations, launchBrowser, NO_BROWSER_REASON } from "../support/browser.ts";
import { startWorker, type RunningWorker } from "../support/wrangler-dev.ts";

const POST = "system-leadership-matters";
const SECRET = "browser-manage-secret";
const SALT = "test-salt";
const ADDRESS = "manage.keyboard@example.org";
/** How long a poll waits for the page: every step is a round trip to the worker, slow on a loaded machine. */
const PATIENCE = { timeout: 15_000 };

if (NO_BROWSER_REASON) console.warn(NO_BROWSER_REASON);

describe.skipIf(NO_BROWSER_REASON !== null)("the manage my comments page", () => {
  let server: RunningWorker;
  let browser: Browser;

  beforeAll(async () => {
    server = await startWorker({ env: "test", vars: { MANAGE_SECRET: SECRET, IP_HASH_SALT: SALT } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function submit(body: string): Promise<string> {
    const response = await fetch(`${server.url}/api/comments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ post: POST, author: "Keyboard Commenter", email: ADDRESS, body }),
    });
    expect(response.status).toBe(202);
    return ((await response.json()) as { id: string }).id;
  }

  const admin = (path: string, method = "GET", body?: unknown) => fetch(`${server.url}/api/admin${path}`, {
    method, headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

  /** The link a mail to ADDRESS carries, signed at `at`. */
  const linkFor = async (at = Date.now()) => `${server.url}/mail/manage/${await signManageToken(await hashEmail(ADDRESS, SALT), SECRET, at)}`;

  /** A page in a fresh context; axe-core is injected as a script, which the pages' policy (no script at all) refuses. */
  async function openPage(url: string): Promise<Page> {
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await page.goto(url);
    return page;
  }

  const heading = (page: Page) => page.locator("h1").textContent();

  it("deletes one comment and then erases everything, from the keyboard, with no axe violations", async () => {
    const published = await submit("The keyboard commenter's published words");
    expect((await admin(`/comments/${published}/approve`, "POST")).status).toBe(200);
    await submit("The keyboard commenter's pending words");

    const page = await openPage(await linkFor());
    expect(await heading(page)).toBe("Your comments");
    expect(await page.locator("main ol > li").count()).toBe(2);
    expect(await page.locator("main").textContent()).toContain("Status: Published");
    expect(await axeViolations(page)).toEqual([]);

    // Delete the published one: its link, then the confirm page's button, then back to the list.
    await page.getByRole("link", { name: /^Delete this comment on/ }).first().focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => heading(page), PATIENCE).toBe("Delete this comment?");
    expect(await page.locator("blockquote").textContent()).toBe("The keyboard commenter's published words");
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Delete this comment");
    await page.keyboard.press("Enter");
    await expect.poll(() => heading(page), PATIENCE).toBe("Comment deleted");
    expect(await axeViolations(page)).toEqual([]);
    const thread = (await (await fetch(`${server.url}/api/comments?post=${POST}`)).json()) as { comments: { id: string }[] };
    expect(thread.comments.map((c) => c.id)).not.toContain(published);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await expect.poll(() => heading(page), PATIENCE).toBe("Your comments");
    expect(await page.locator("main ol > li").count()).toBe(1);

    // Erase everything: the confirm step shows what goes.
    await page.getByRole("link", { name: "Erase everything…" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => heading(page), PATIENCE).toBe("Erase everything?");
    expect(await page.locator("main ul").textContent()).toContain("1 comment: 0 published, 1 awaiting moderation, 0 not published");
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Erase everything");
    await page.keyboard.press("Enter");
    await expect.poll(() => heading(page), PATIENCE).toBe("Everything is erased");
    expect(await axeViolations(page)).toEqual([]);
    const left = (await (await admin("/person/export", "POST", { email: ADDRESS })).json()) as { comments: unknown[] };
    expect(left.comments).toEqual([]);
    await page.context().close();
  });

  it("says an expired link has expired and how to get a new one, with no axe violations", async () => {
    const page = await openPage(await linkFor(Date.now() - (MANAGE_LINK_TTL_DAYS + 1) * 24 * 60 * 60 * 1000));
    expect(await heading(page)).toBe("This link has expired");
    expect(await page.locator("main").textContent()).toContain("Every email we send you carries a fresh link");
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });
});
