// Reply emails under `npm start`, tried as a new reader would in Chromium: subscribe with and without JavaScript,
// confirm from the link in the .eml file the local setup keeps in .mail/, have a reply approved, and find exactly
// one notification there; open the manage page from the link at the foot of a mail. Nothing leaves the machine.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, NO_BROWSER_REASON } from "../support/browser.ts";
import { type NpmStart, startNpmStart } from "../support/npm-start.ts";

const POST = "system-leadership-matters";

if (NO_BROWSER_REASON) console.warn(NO_BROWSER_REASON);

/** The text of an .eml file as a mail client shows it: quoted-printable soft breaks joined and =XX decoded. */
function readEml(path: string): string {
  const raw = readFileSync(path, "latin1").replace(/=\r\n/g, "");
  return Buffer.from(raw.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1").toString("utf8");
}

describe.skipIf(NO_BROWSER_REASON !== null)("reply emails under npm start", () => {
  let app: NpmStart;
  let browser: Browser;

  beforeAll(async () => {
    app = await startNpmStart(`/posts/${POST}/`);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    app?.stop();
  });

  const mailDir = () => join(app.project, ".mail");
  /** Every kept message to `address`, oldest first. */
  const mailTo = (address: string) =>
    (existsSync(mailDir()) ? readdirSync(mailDir()).sort() : []).map((name) => readEml(join(mailDir(), name))).filter((text) => text.includes(`To: ${address}\r\n`));
  const token = () => /^MODERATOR_TOKEN=(.+)$/m.exec(readFileSync(join(app.project, ".dev.vars"), "utf8"))![1]!;
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${app.workerUrl}/api/admin${path}`, { ...init, headers: { authorization: `Bearer ${token()}`, "content-type": "application/json" } });

  async function commentFrom(browserJs: boolean, address: string, author: string): Promise<void> {
    const context = await browser.newContext({ javaScriptEnabled: browserJs });
    const page = await context.newPage();
    await page.goto(`${app.siteUrl}/posts/${POST}/`);
    expect(await page.getByLabel("Email me when someone replies").isChecked()).toBe(false);
    await page.getByLabel("Comment").fill(`A comment from ${author}.`);
    await page.getByLabel("Name").fill(author);
    await page.getByLabel("Email", { exact: false }).first().fill(address);
    await page.getByLabel("Email me when someone replies").check();
    await page.getByRole("button", { name: "Post Comment" }).click();
    if (browserJs) await expect.poll(() => page.locator("#comment-status").textContent()).toBe("Your comment is awaiting moderation.");
    else await page.waitForURL(/#comment-submitted$/);
    await context.close();
  }

  /** Opens the confirmation link of the one mail to `address` in Chromium and presses Confirm. */
  async function confirmFromMail(address: string): Promise<void> {
    await expect.poll(() => mailTo(address).length, { timeout: 15_000 }).toBe(1);
    const [mail] = mailTo(address);
    expect(mail).toContain("Subject: Confirm reply emails");
    const link = /http:\/\/localhost:\d+\/mail\/confirm\/[A-Za-z0-9_-]{43}/.exec(mail!)![0];
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(link);
    await page.getByRole("button", { name: "Confirm" }).click();
    expect(await page.locator("h1").textContent()).toBe("Confirmed");
    await context.close();
  }

  async function idOf(author: string): Promise<string> {
    const { comments } = (await (await admin("/comments?status=pending")).json()) as { comments: { id: string; author: string }[] };
    return comments.find((c) => c.author === author)!.id;
  }

  for (const javaScript of [true, false]) {
    it(`mails one notification for an approved reply to a reader who subscribed ${javaScript ? "with" : "without"} JavaScript`, async () => {
      const address = `reader-${javaScript ? "js" : "nojs"}@example.org`;
      const author = javaScript ? "Scripted Reader" : "Plain Reader";
      await commentFrom(javaScript, address, author);
      await confirmFromMail(address);
      const parent = await idOf(author);
      expect((await admin(`/comments/${parent}/approve`, { method: "POST" })).status).toBe(200);
      const reply = await fetch(`${app.workerUrl}/api/comments`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: app.siteUrl },
        body: JSON.stringify({ post: POST, parentId: parent, author: `Replier to ${author}`, email: "replier@example.org", body: "A reply worth reading." }),
      });
      expect(reply.status).toBe(202);
      const { id } = (await reply.json()) as { id: string };
      expect((await admin(`/comments/${id}/approve`, { method: "POST" })).status).toBe(200);
      await expect.poll(() => mailTo(address).length, { timeout: 15_000 }).toBe(2);
      const notification = mailTo(address)[1]!;
      expect(notification).toContain(`Subject: Replier to ${author} replied to your comment on`);
      expect(notification).toContain("A reply worth reading.");
      expect(notification).toMatch(/List-Unsubscribe: <http:\/\/localhost:\d+\/mail\/unsubscribe\/[A-Za-z0-9_-]{43}>/);
      // Approving again sends nothing more.
      expect((await admin(`/comments/${id}/approve`, { method: "POST" })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(mailTo(address)).toHaveLength(2);
    });
  }

  it("opens the reader's manage page from the link at the foot of their mail, listing their comment", async () => {
    const address = "reader-manage@example.org";
    await commentFrom(true, address, "Managing Reader");
    await expect.poll(() => mailTo(address).length, { timeout: 15_000 }).toBe(1);
    const link = /http:\/\/localhost:\d+\/mail\/manage\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}/.exec(mailTo(address)[0]!)![0];
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(link);
    expect(await page.locator("h1").textContent()).toBe("Your comments");
    expect(await page.locator("main ol > li").count()).toBe(1);
    expect(await page.locator("main ol").textContent()).toContain("A comment from Managing Reader.");
    await context.close();
  });
});
