// Live readers see edits: a page built before an author edited or deleted their approved comment still carries the
// old text in its HTML, and the page's script, refreshing the live thread, redraws the edited comment in place (its
// revision changed) and removes the deleted one, without a rebuild of the site. Real worker, real build, Chromium.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_BROWSER_REASON } from "../support/browser.ts";
import { startStack, type Stack } from "../support/stack.ts";

const POST = "system-leadership-matters";

if (NO_BROWSER_REASON) console.warn(NO_BROWSER_REASON);

describe.skipIf(NO_BROWSER_REASON !== null)("a page built before an author's edit or delete", () => {
  let stack: Stack;
  const tokens: Record<string, { id: string; editToken: string }> = {};

  /** Submits as the page's script does (it keeps the edit token), and approves. */
  async function submitApproved(worker: Stack["worker"], siteUrl: string, admin: Stack["admin"], author: string, body: string) {
    const response = await fetch(`${worker.url}/api/comments`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: siteUrl },
      body: JSON.stringify({ post: POST, author, email: `${author.toLowerCase()}@example.org`, body }),
    });
    const sent = (await response.json()) as { id: string; editToken: string };
    expect((await admin(`/comments/${sent.id}/approve`, { method: "POST" })).status).toBe(200);
    tokens[author] = sent;
  }

  beforeAll(async () => {
    stack = await startStack({
      // The author's edit keeps the comment approved, so readers see the new text rather than the comment leaving.
      vars: { EDIT_KEEPS_APPROVAL: "true" },
      async beforeBuild({ worker, siteUrl, admin }) {
        await submitApproved(worker, siteUrl, admin, "Editor", "The first draft of my thoughts.");
        await submitApproved(worker, siteUrl, admin, "Withdrawer", "Something I will take back.");
      },
    });
  });
  afterAll(() => stack?.stop());

  const author = (method: string, who: string, body?: unknown) =>
    fetch(`${stack.worker.url}/api/comments/${tokens[who]!.id}`, {
      method,
      headers: { authorization: `Bearer ${tokens[who]!.editToken}`, "content-type": "application/json", origin: stack.siteUrl },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it("shows the new text of an edited comment in place, and drops a deleted one, when the script refreshes the thread", async () => {
    expect((await author("PATCH", "Editor", { body: "The second, better draft." })).status).toBe(200);
    expect((await author("DELETE", "Withdrawer")).status).toBe(204);
    const editor = `#comment-${tokens.Editor!.id}`;
    const withdrawer = `#comment-${tokens.Withdrawer!.id}`;

    // The HTML is as it was built: the old text, and the withdrawn comment.
    const stale = await (await stack.browser.newContext({ javaScriptEnabled: false })).newPage();
    await stale.goto(`${stack.site.url}/posts/${POST}/`);
    expect(await stale.locator(`${editor} .comment-content`).textContent()).toBe("The first draft of my thoughts.");
    expect(await stale.locator(withdrawer).count()).toBe(1);
    await stale.context().close();

    const page = await (await stack.browser.newContext()).newPage();
    await page.goto(`${stack.site.url}/posts/${POST}/`);
    await expect.poll(() => page.locator(`${editor} .comment-content`).textContent(), { timeout: 10_000 }).toBe("The second, better draft.");
    await expect.poll(() => page.locator(withdrawer).count(), { timeout: 10_000 }).toBe(0);
    // Redrawn where it was, not moved to the end, and still with its Reply button.
    expect(await page.locator(".comment-list > li.comment").first().getAttribute("id")).toBe(editor.slice(1));
    expect(await page.locator(`${editor} .comment-reply`).isVisible()).toBe(true);
    await page.context().close();
  });
});
