// The /admin Person panel in Chromium, worked from the keyboard: an owner exports one address's data and erases it
// after a confirm step that shows the counts; a moderator never sees the panel. Against the real worker under
// `wrangler dev` (its ledger and local KV), through the page and the API contract only.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, launchBrowser, NO_BROWSER_REASON } from "../support/browser.ts";
import { startWorker, type RunningWorker } from "../support/wrangler-dev.ts";

const POST = "system-leadership-matters";
/** How long a poll waits for the page: every action is a round trip to the worker, slow on a loaded machine. */
const PATIENCE = { timeout: 15_000 };

if (NO_BROWSER_REASON) console.warn(NO_BROWSER_REASON);

describe.skipIf(NO_BROWSER_REASON !== null)("the /admin Person panel", () => {
  let server: RunningWorker;
  let browser: Browser;

  beforeAll(async () => {
    server = await startWorker({ env: "test" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function submit(email: string, body: string): Promise<string> {
    const response = await fetch(`${server.url}/api/comments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ post: POST, author: "Panel Person", email, body }),
    });
    expect(response.status).toBe(202);
    return ((await response.json()) as { id: string }).id;
  }

  async function admin(path: string, method = "GET", body?: unknown): Promise<Response> {
    return fetch(`${server.url}/api/admin${path}`, {
      method, headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function signIn(token = server.token, bypassCSP = false): Promise<Page> {
    const page = await (await browser.newContext({ bypassCSP })).newPage();
    await page.goto(`${server.url}/admin`);
    await page.keyboard.press("Tab");
    await page.keyboard.type(token);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), PATIENCE).toBe("queue-title");
    return page;
  }

  /** Types an address into the panel's labelled field, from the keyboard. */
  async function enterAddress(page: Page, email: string): Promise<void> {
    await page.getByLabel("Email address", { exact: true }).focus();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type(email);
  }

  const message = (page: Page) => page.locator("#message").textContent();

  it("exports everything held about an address as JSON, with Enter in the address field", async () => {
    const id = await submit("panel.export@example.org", "The panel's exported words");
    const page = await signIn();
    await enterAddress(page, "panel.export@example.org");
    await page.keyboard.press("Enter");
    await expect.poll(() => message(page), PATIENCE).toBe("Exported 1 comment held for panel.export@example.org.");
    const shown = JSON.parse((await page.locator("#person-result").textContent()) ?? "") as { comments: { id: string; body: string }[]; subscriptions: unknown[] };
    expect(shown.comments).toEqual([expect.objectContaining({ id, body: "The panel's exported words" })]);
    expect(shown.subscriptions).toEqual([]);
    expect(await page.getByRole("link", { name: "Download the export (JSON)" }).getAttribute("href")).toMatch(/^blob:/);
    await page.context().close();
  });

  it("erases only after a confirm step that shows the counts; Cancel erases nothing", async () => {
    await submit("panel.erase@example.org", "The panel's first erasable words");
    await submit("panel.erase@example.org", "The panel's second erasable words");
    const page = await signIn();
    await enterAddress(page, "panel.erase@example.org");
    await page.getByRole("button", { name: "Erase…" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent), PATIENCE).toBe("Erase for good");
    expect(await page.locator("#person-counts").textContent()).toContain("panel.erase@example.org: 2 comments (0 published)");

    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await expect.poll(() => message(page), PATIENCE).toBe("Nothing was erased.");
    expect(await page.locator("#person-confirm").isHidden()).toBe(true);
    const kept = (await (await admin("/person/export", "POST", { email: "panel.erase@example.org" })).json()) as { comments: unknown[] };
    expect(kept.comments).toHaveLength(2);

    await page.getByRole("button", { name: "Erase…" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent), PATIENCE).toBe("Erase for good");
    await page.keyboard.press("Enter");
    await expect.poll(() => message(page), PATIENCE).toMatch(/^Erased 2 comments by panel\.erase@example\.org: 2 stored records deleted/);
    const after = (await (await admin("/person/export", "POST", { email: "panel.erase@example.org" })).json()) as { comments: unknown[] };
    expect(after.comments).toEqual([]);
    await page.context().close();
  });

  it("says what is wrong with an address that is not one, and sends nothing", async () => {
    const page = await signIn();
    await enterAddress(page, "not an address");
    await page.keyboard.press("Enter");
    expect(await page.getByLabel("Email address", { exact: true }).evaluate((input: HTMLInputElement) => input.validity.valid)).toBe(false);
    expect(await page.locator("#person-result").isHidden()).toBe(true);
    await page.context().close();
  });

  it("is not shown to a moderator", async () => {
    const added = await admin("/moderators", "POST", { name: "Panel Mo", role: "moderator" });
    const { token } = (await added.json()) as { token: string };
    const page = await signIn(token);
    expect(await page.locator("#person-panel").isHidden()).toBe(true);
    await page.context().close();
  });

  it("has no axe-core accessibility violations with an export shown and the confirm step open", async () => {
    await submit("panel.axe@example.org", "Words for the accessibility check");
    const page = await signIn(server.token, true);
    await enterAddress(page, "panel.axe@example.org");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#person-result").isVisible(), PATIENCE).toBe(true);
    await page.getByRole("button", { name: "Erase…" }).click();
    await expect.poll(() => page.locator("#person-confirm").isVisible(), PATIENCE).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });
});
