// The /admin moderation desk in Chromium, worked from the keyboard: tabs with counts, search, post
// filter, paging, bulk actions, edit, reply as the blog, block, and the owner's rules. It drives the page and the
// API contract only (docs/api.md, "The moderator API"), never a server's internals; it runs against the real worker
// under `wrangler dev` (its ledger and local KV).
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, launchBrowser, NO_BROWSER_REASON } from "../support/browser.ts";
import { startWorker, type RunningWorker } from "../support/wrangler-dev.ts";

const POST = "system-leadership-matters";
const OTHER_POST = "local-leadership-capabilities";

if (NO_BROWSER_REASON) console.warn(NO_BROWSER_REASON);

describe.skipIf(NO_BROWSER_REASON !== null)("the /admin moderation desk", () => {
  let server: RunningWorker;
  let browser: Browser;
  let serial = 0;

  beforeAll(async () => {
    server = await startWorker({ env: "test" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A word no other test uses, so a search finds only this test's comments. */
  const uniqueWord = (prefix: string) => `${prefix}${Date.now().toString(36)}x${++serial}`;

  async function submit(author: string, body: string, options: { post?: string; parentId?: string } = {}): Promise<string> {
    const response = await fetch(`${server.url}/api/comments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ post: options.post ?? POST, author, email: `${author.replace(/\W/g, "").toLowerCase()}@example.org`, body,
        ...(options.parentId ? { parentId: options.parentId } : {}) }),
    });
    expect(response.status).toBe(202);
    return ((await response.json()) as { id: string }).id;
  }

  async function admin(path: string, method = "GET", body?: unknown, token = server.token): Promise<Response> {
    return fetch(`${server.url}/api/admin${path}`, {
      method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function published(post = POST): Promise<{ author: string; body: string; byBlog?: boolean }[]> {
    return ((await (await fetch(`${server.url}/api/comments?post=${post}`)).json()) as { comments: { author: string; body: string; byBlog?: boolean }[] }).comments;
  }

  /** Opens /admin and signs in from the keyboard; `bypassCSP` only so axe-core can be injected. */
  async function signIn(token = server.token, bypassCSP = false): Promise<Page> {
    const page = await (await browser.newContext({ bypassCSP })).newPage();
    await page.goto(`${server.url}/admin`);
    await page.keyboard.press("Tab");
    await page.keyboard.type(token);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("queue-title");
    return page;
  }

  /** Searches from the keyboard: the search box, the word, Enter. */
  async function search(page: Page, word: string): Promise<void> {
    await page.locator("#q").focus();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type(word);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#message").textContent()).toMatch(new RegExp(`matching \u201c${word}\u201d`));
  }

  const message = (page: Page) => page.locator("#message").textContent();
  const cards = (page: Page) => page.locator("#comments > li");
  /** The card whose heading names this author (a reply's card also names the author it answers). */
  const card = (page: Page, author: string): Locator =>
    page.locator("#comments > li").filter({ has: page.locator("h3", { hasText: author }) });
  const focusedCardText = (page: Page) => page.evaluate(() => document.activeElement?.closest("li")?.textContent ?? "");

  /** The number in a tab's name ("Pending (3)"). */
  async function count(page: Page, status: string): Promise<number> {
    const name = (await page.locator(`#tabs button[data-status="${status}"]`).textContent()) ?? "";
    const match = /\((\d+)\)$/.exec(name);
    expect(match, `the ${status} tab's name "${name}" has a count`).not.toBeNull();
    return Number(match![1]);
  }

  it("shows how many comments each status holds in the tabs, and the numbers follow an approval", async () => {
    const page = await signIn();
    const pending = await count(page, "pending");
    const approved = await count(page, "approved");
    const word = uniqueWord("tally");
    await submit("Tally One", `First ${word}`);
    await submit("Tally Two", `Second ${word}`);
    await page.locator("#refresh").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => count(page, "pending")).toBe(pending + 2);
    expect(await page.locator("#tabs button[aria-current]").textContent()).toBe(`Pending (${pending + 2})`);

    await card(page, "Tally One").getByRole("button", { name: "Approve" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => message(page)).toBe("Approved the comment by Tally One.");
    expect(await count(page, "pending")).toBe(pending + 1);
    expect(await count(page, "approved")).toBe(approved + 1);

    await page.locator('#tabs button[data-status="approved"]').focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#tabs button[aria-current]").textContent()).toBe(`Approved (${approved + 1})`);
    await expect.poll(() => card(page, "Tally One").count()).toBe(1);
    expect(await card(page, "Tally Two").count()).toBe(0);
    await page.context().close();
  });

  it("finds a comment by a word in its text, and by its author's whole email address", async () => {
    const word = uniqueWord("zanzibar");
    await submit("Needle Writer", `A comment that mentions ${word} once.`);
    await submit("Hay Writer", "A comment about something else entirely.");
    const page = await signIn();
    await search(page, word);
    expect(await cards(page).count()).toBe(1);
    expect(await cards(page).first().textContent()).toContain("Needle Writer");
    expect(await message(page)).toBe(`1 pending comment matching \u201c${word}\u201d.`);

    await search(page, "haywriter@example.org");
    await expect.poll(() => cards(page).count()).toBeGreaterThanOrEqual(1);
    // Records keep only the address's hash, so the card names the author, not the address.
    expect((await cards(page).allTextContents()).every((text) => text.includes("Hay Writer"))).toBe(true);
    await page.context().close();
  });

  it("bulk-approves two comments from the keyboard, leaving the third pending", async () => {
    const word = uniqueWord("bulk");
    await submit("Bulk Ada", `Ada ${word}`);
    await submit("Bulk Ben", `Ben ${word}`);
    await submit("Bulk Cy", `Cy ${word}`);
    const page = await signIn();
    await search(page, word);
    expect(await cards(page).count()).toBe(3);

    for (const author of ["Bulk Ada", "Bulk Ben"]) {
      await page.getByLabel(`Select the comment by ${author}`).focus();
      await page.keyboard.press("Space");
    }
    await page.locator("#bulk-action").focus();
    await page.keyboard.press("ArrowDown");
    expect(await page.locator("#bulk-action").inputValue()).toBe("approve");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Apply");
    await page.keyboard.press("Enter");

    await expect.poll(() => message(page)).toBe("Approved 2 comments.");
    expect(await cards(page).count()).toBe(1);
    expect(await focusedCardText(page)).toContain("Bulk Cy");
    const authors = (await published()).map((c) => c.author);
    expect(authors).toEqual(expect.arrayContaining(["Bulk Ada", "Bulk Ben"]));
    expect(authors).not.toContain("Bulk Cy");
    await page.context().close();
  });

  it("says what is missing when Apply is pressed with no action or no comment chosen", async () => {
    const word = uniqueWord("idle");
    await submit("Idle Ida", `Ida ${word}`);
    const page = await signIn();
    await search(page, word);
    await page.locator("#bulk").getByRole("button", { name: "Apply" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => message(page)).toBe("Choose a bulk action first.");
    await page.locator("#bulk-action").selectOption("approve");
    await page.locator("#bulk").getByRole("button", { name: "Apply" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => message(page)).toBe("Select at least one comment first.");
    expect(await cards(page).count()).toBe(1);
    await page.context().close();
  });

  it("filters the queue by post", async () => {
    const word = uniqueWord("where");
    await submit("Here Hana", `On this post ${word}`);
    await submit("There Theo", `On the other post ${word}`, { post: OTHER_POST });
    const page = await signIn();
    await search(page, word);
    expect(await cards(page).count()).toBe(2);
    await page.locator("#post").selectOption(OTHER_POST);
    await expect.poll(() => cards(page).count()).toBe(1);
    expect(await cards(page).first().textContent()).toContain("There Theo");
    await page.context().close();
  });

  it("links each comment to its post and shows a reply with the comment it answers", async () => {
    const word = uniqueWord("thread");
    const parentId = await submit("Parent Pat", `The question that started it ${word}`);
    expect((await admin(`/comments/${parentId}/approve`, "POST")).status).toBe(200);
    await submit("Child Chris", `An answer ${word}`, { parentId });
    const page = await signIn();
    await search(page, word);
    const reply = card(page, "Child Chris");
    expect(await reply.locator(".in-reply").textContent()).toMatch(/^In reply to Parent Pat: The question that started it/);
    const link = reply.getByRole("link", { name: "System leadership matters" });
    expect(await link.getAttribute("href")).toBe(`http://localhost:8080/posts/${POST}/`);
    await page.context().close();
  });

  it("shows a long queue a page at a time, and Show more brings the rest with focus on the first new comment", async () => {
    const word = uniqueWord("page");
    for (let i = 1; i <= 53; i++) await submit(`Pager ${String(i).padStart(2, "0")}`, `Number ${i} ${word}`);
    const page = await signIn();
    await search(page, word);
    expect(await cards(page).count()).toBe(50);
    expect(await message(page)).toBe(`Showing the first 50 pending comments matching \u201c${word}\u201d.`);
    await page.locator("#more").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => cards(page).count()).toBe(53);
    expect(await page.locator("#more").isHidden()).toBe(true);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe("checkbox");
    expect(await focusedCardText(page)).toBe(await cards(page).nth(50).textContent());
    await page.context().close();
  });

  it("edits a comment's text in an inline form that returns focus to Edit, on Cancel and on Save", async () => {
    const word = uniqueWord("typo");
    await submit("Edit Eve", `Teh original text ${word}`);
    const page = await signIn();
    await search(page, word);
    const edit = card(page, "Edit Eve").getByRole("button", { name: "Edit" });
    await edit.focus();
    await page.keyboard.press("Enter");
    const box = page.getByLabel("Edit the text of the comment by Edit Eve");
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("TEXTAREA");
    expect(await box.inputValue()).toBe(`Teh original text ${word}`);
    await page.keyboard.press("Escape");
    expect(await box.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Edit");

    await page.keyboard.press("Enter");
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type(`The corrected text ${word}`);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await expect.poll(() => message(page)).toBe("Saved the new text of the comment by Edit Eve.");
    expect(await card(page, "Edit Eve").locator(".body").textContent()).toBe(`The corrected text ${word}`);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Edit");
    await search(page, word);
    expect(await card(page, "Edit Eve").locator(".body").textContent()).toBe(`The corrected text ${word}`);
    await page.context().close();
  });

  it("replies as the blog: the reply is published at once and shown with the Author badge", async () => {
    const word = uniqueWord("answer");
    const id = await submit("Asking Ann", `Will there be a sequel? ${word}`);
    expect((await admin(`/comments/${id}/approve`, "POST")).status).toBe(200);
    const page = await signIn();
    await page.locator('#tabs button[data-status="approved"]').focus();
    await page.keyboard.press("Enter");
    await search(page, word);
    const approved = await count(page, "approved");
    await card(page, "Asking Ann").getByRole("button", { name: "Reply" }).focus();
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`editor-${id}`);
    await page.keyboard.type(`Yes, next month. ${word}`);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await expect.poll(() => message(page)).toBe("Published your reply to Asking Ann.");
    expect(await count(page, "approved")).toBe(approved + 1);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Reply");
    expect((await published()).filter((c) => c.body === `Yes, next month. ${word}`).map((c) => c.byBlog)).toEqual([true]);

    await search(page, `Yes, next month. ${word}`);
    const reply = cards(page).first();
    expect(await reply.locator(".badge").textContent()).toBe("Author");
    expect(await reply.locator(".in-reply").textContent()).toContain("In reply to Asking Ann");
    await page.context().close();
  });

  it("blocks a commenter in one action: the comment goes to spam and an email rule appears", async () => {
    const word = uniqueWord("spammy");
    await submit("Pushy Pete", `Buy now ${word}`);
    const page = await signIn();
    page.on("dialog", (dialog) => void dialog.accept());
    await search(page, word);
    const spam = await count(page, "spam");
    const rules = await page.locator("#rules > li").count();
    await card(page, "Pushy Pete").getByRole("button", { name: "Block commenter" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => message(page)).toBe("Blocked Pushy Pete: the comment is marked as spam.");
    expect(await count(page, "spam")).toBe(spam + 1);
    await expect.poll(() => page.locator("#rules > li").count()).toBe(rules + 1);
    await page.locator('#tabs button[data-status="spam"]').focus();
    await page.keyboard.press("Enter");
    await search(page, word);
    expect(await cards(page).count()).toBe(1);
    await page.context().close();
  });

  it("lets an owner add and remove a rule, and shows the server's reason when one is refused", async () => {
    const word = uniqueWord("casino");
    const page = await signIn();
    expect(await page.locator("#rules-panel").isVisible()).toBe(true);
    await page.locator("#rule-kind").selectOption("word");
    await page.locator("#rule-value").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => message(page)).toBe("Give the word to look for.");

    await page.keyboard.type(word);
    await page.locator("#rule-action").selectOption("spam");
    await page.locator("#rule-value").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => message(page)).toBe(`Added the rule: Text contains \u201c${word}\u201d: mark as spam.`);
    const rule = page.locator("#rules > li", { hasText: word });
    expect(await rule.textContent()).toContain("added by");

    await rule.getByRole("button", { name: "Remove" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => message(page)).toBe(`Removed the rule: Text contains \u201c${word}\u201d: mark as spam.`);
    expect(await rule.count()).toBe(0);
    expect(((await (await admin("/rules")).json()) as { rules: { value: string }[] }).rules.map((r) => r.value)).not.toContain(word);
    await page.context().close();
  });

  it("shows a moderator the queue but no rules panel", async () => {
    const response = await admin("/moderators", "POST", { name: `Mod ${uniqueWord("m")}`, role: "moderator" });
    expect(response.status).toBe(201);
    const { token } = (await response.json()) as { token: string };
    const page = await signIn(token);
    expect(await page.locator("#me").textContent()).toMatch(/^Signed in as Mod m\w+ \(moderator\)\.$/);
    expect(await page.locator("#queue").isVisible()).toBe(true);
    expect(await page.locator("#rules-panel").isHidden()).toBe(true);
    await page.context().close();
  });

  it("has no axe-core accessibility violations with replies, the Author badge, rules and a reply form open", async () => {
    const word = uniqueWord("axe");
    const id = await submit("Axe Alex", `A comment ${word}`);
    await admin(`/comments/${id}/approve`, "POST");
    await admin(`/comments/${id}/reply`, "POST", { body: `The blog answers ${word}` });
    await admin("/rules", "POST", { kind: "links", value: "3", action: "hold" });
    const page = await signIn(server.token, true);
    await page.locator('#tabs button[data-status="approved"]').click();
    await search(page, word);
    expect(await page.locator("#comments .badge").count()).toBe(1);
    await card(page, "Axe Alex").getByRole("button", { name: "Reply" }).click();
    await expect.poll(() => page.locator("#rules > li").count()).toBeGreaterThan(0);
    const violations = await axeViolations(page);
    expect(violations).toEqual([]);
    await page.context().close();
  });
});
