// The /admin Mail panel in Chromium, from the keyboard: a moderator with no address is told so when they press
// "Send a test email"; once they give their address, the test email goes out (kept by a local mail catcher, as
// npm start's .mail/ folder does) and the delivery log shows it as sent, naming no address. The checkbox for the mail
// about comments held for moderation turns it off and on, and a held comment reaches the moderator while it is on. Against the real worker
// under `wrangler dev`, with the development transport pointed at the catcher.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, launchBrowser, NO_BROWSER_REASON } from "../support/browser.ts";
import { freePort, startWorker, type RunningWorker } from "../support/wrangler-dev.ts";

const PATIENCE = { timeout: 15_000 };

if (NO_BROWSER_REASON) console.warn(NO_BROWSER_REASON);

describe.skipIf(NO_BROWSER_REASON !== null)("the /admin Mail panel", () => {
  let server: RunningWorker;
  let browser: Browser;
  let catcher: Server;
  const caught: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    catcher = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString("latin1")));
      request.on("end", () => (caught.push(body), response.end()));
    });
    await new Promise<void>((resolve) => catcher.listen(port, "127.0.0.1", resolve));
    server = await startWorker({
      env: "test",
      vars: {
        MAIL_KEYS: `k1:${randomBytes(32).toString("base64")}`, MAIL_TRANSPORT: "dev", MAIL_DEV_URL: `http://127.0.0.1:${port}/mail`,
        MAIL_FROM: "comments@localhost", COMMENTS_API_URL: "http://localhost:8787",
      },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    catcher?.close();
  });

  /** `bypassCSP` only to inject axe-core, which the page's strict CSP would refuse. */
  async function signIn(bypassCSP = false): Promise<Page> {
    const page = await (await browser.newContext({ bypassCSP })).newPage();
    await page.goto(`${server.url}/admin`);
    await page.keyboard.press("Tab");
    await page.keyboard.type(server.token);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), PATIENCE).toBe("queue-title");
    await expect.poll(() => page.locator("#mail-address-state").textContent(), PATIENCE).not.toBe("");
    return page;
  }

  const message = (page: Page) => page.locator("#message").textContent();

  it("says no address is set when a moderator without one presses Send a test email", async () => {
    const page = await signIn();
    expect(await page.locator("#mail-address-state").textContent()).toContain("No email address is set for you");
    await page.getByRole("button", { name: "Send a test email" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => message(page), PATIENCE).toContain("No email address is set for you");
    expect(caught).toEqual([]);
  });

  it("sends the test email to the address the moderator gives, and logs it as sent without the address", async () => {
    const address = `moderator-${Date.now()}@example.org`;
    const page = await signIn(true);
    await page.getByLabel("Your email address").focus();
    await page.keyboard.type(address);
    await page.keyboard.press("Enter");
    await expect.poll(() => message(page), PATIENCE).toBe("Your email address is saved.");
    await page.getByRole("button", { name: "Send a test email" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => message(page), PATIENCE).toMatch(/^Test email sent \(message id .+@localhost\)\.$/);
    expect(caught.filter((mime) => mime.includes(`To: ${address}\r\n`))).toHaveLength(1);
    const row = page.locator("#mail-log tr").first();
    await expect.poll(() => row.textContent(), PATIENCE).toContain("Test email");
    expect(await row.textContent()).toContain("Sent (1 attempt)");
    expect(await page.locator("#mail-panel").textContent()).not.toContain(address);
    expect(await axeViolations(page)).toEqual([]);
  });

  it("turns the mail about held comments off and on from the keyboard, and mails a held comment while it is on", async () => {
    const address = `held-${Date.now()}@example.org`;
    const saved = await fetch(`${server.url}/api/admin/mail/me`, {
      method: "PUT", headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" }, body: JSON.stringify({ email: address }),
    });
    expect(saved.status).toBe(200);
    const label = "Email me when a comment is held for moderation";
    const page = await signIn();
    expect(await page.getByLabel(label).isChecked()).toBe(true);
    await page.getByLabel(label).focus();
    await page.keyboard.press("Space");
    await expect.poll(() => message(page), PATIENCE).toBe("You will no longer be emailed about comments held for moderation.");
    // The choice is the server's: a new sign-in shows it unticked.
    const again = await signIn();
    expect(await again.getByLabel(label).isChecked()).toBe(false);
    await again.getByLabel(label).focus();
    await again.keyboard.press("Space");
    await expect.poll(() => message(again), PATIENCE).toBe("You will be emailed when a comment is held for moderation.");

    const marker = `held${Date.now().toString(36)}`;
    const submitted = await fetch(`${server.url}/api/comments`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ post: "local-leadership-capabilities", author: "Held Reader", email: "held-reader@example.org", body: `Please check ${marker}` }),
    });
    expect(submitted.status).toBe(202);
    const mailed = () => caught.filter((mime) => mime.includes(`To: ${address}\r\n`) && mime.includes(marker));
    await expect.poll(() => mailed().length, PATIENCE).toBe(1);
    expect(mailed()[0]).toContain("Subject: New comment awaiting moderation on");
    expect(mailed()[0]).toContain("To turn these emails off");
  });
});
