import { env } from "cloudflare:workers";
import { createExecutionContext, reset, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { app } from "../../../worker/index.ts";
import { buildNotification, EXCERPT_MAX, excerptOf } from "../../../worker/notify/webhook.ts";
import type { AdminComment } from "../../../worker/publish/kv-store.ts";
import { BASE, dumpKv, POST, submit, validComment } from "../helpers.ts";

afterEach(async () => {
  vi.restoreAllMocks();
  await reset();
});

const WEBHOOK = "https://hooks.example/services/T000/B000/XXXX";

function record(overrides: Partial<AdminComment> = {}): AdminComment {
  return {
    id: "c1", post: POST, parentId: null, author: "Ada <b>", email: "ada@example.org", website: null, body: "Hello @everyone & <!channel>",
    createdAt: "2026-01-01T00:00:00.000Z", status: "pending", moderatedAt: null, ...overrides,
  };
}

describe("buildNotification", () => {
  it("gives Slack a `text` and Discord a `content`, with post, author, excerpt and the /admin link", () => {
    const payload = buildNotification(record(), "Local leadership capabilities", `${BASE}/admin`);
    expect(payload).toMatchObject({ post: POST, postTitle: "Local leadership capabilities", author: "Ada <b>", link: `${BASE}/admin`, status: "pending" });
    expect(payload.text).toContain(`<${BASE}/admin|Moderate>`);
    expect(payload.content).toContain(`${BASE}/admin`);
    expect(payload.content).toContain("Local leadership capabilities");
  });

  it("keeps a reader's text from pinging anyone or adding Slack markup", () => {
    const payload = buildNotification(record(), "Title", `${BASE}/admin`);
    expect(payload.allowed_mentions).toEqual({ parse: [] });
    expect(payload.text).not.toContain("<!channel>");
    expect(payload.text).toContain("&lt;!channel&gt;");
    expect(payload.text).toContain("Ada &lt;b&gt;");
  });

  it("shortens the excerpt to one line of at most 200 characters", () => {
    expect(excerptOf("a\n\nb")).toBe("a b");
    const long = excerptOf("x".repeat(500));
    expect(long).toHaveLength(EXCERPT_MAX);
    expect(long.endsWith("…")).toBe(true);
  });
});

describe("notification on submission", () => {
  function mockWebhook(response: () => Response | Promise<Response>) {
    return vi.spyOn(globalThis, "fetch").mockImplementation(async () => response());
  }

  it("posts the payload to NOTIFY_WEBHOOK_URL after accepting a comment", async () => {
    const fetchSpy = mockWebhook(() => new Response("ok"));
    const response = await submit(validComment({ body: "Worth telling the moderators" }), { vars: { NOTIFY_WEBHOOK_URL: WEBHOOK } });
    expect(response.status).toBe(202);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const [url, init] = fetchSpy.mock.calls[0]!;
    expect(String(url)).toBe(WEBHOOK);
    expect(init?.method).toBe("POST");
    expect(new Headers(init?.headers).get("content-type")).toBe("application/json");
    expect(JSON.parse(String(init?.body))).toMatchObject({
      post: POST, postTitle: "Local leadership capabilities", author: "Ada Reader", excerpt: "Worth telling the moderators", link: `${BASE}/admin`,
    });
  });

  it("still accepts and stores the comment when the webhook fails, and logs the failure", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    for (const failure of [() => new Response("no", { status: 500 }), () => Promise.reject(new Error("unreachable"))]) {
      mockWebhook(failure);
      const response = await submit(validComment(), { vars: { NOTIFY_WEBHOOK_URL: WEBHOOK } });
      expect(response.status).toBe(202);
      vi.mocked(globalThis.fetch).mockRestore();
    }
    expect(logged).toHaveBeenCalledWith("moderator notification failed", expect.any(Error));
    expect((await dumpKv()).match(/v1:comment:/g)).toHaveLength(2);
  });

  it("does not delay the response until the webhook answers", async () => {
    let release: () => void = () => {};
    mockWebhook(() => new Promise<Response>((resolve) => (release = () => resolve(new Response("late")))));
    const ctx = createExecutionContext();
    const response = await app.fetch(
      new Request(`${BASE}/api/comments`, { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": "192.0.2.5" }, body: JSON.stringify(validComment()) }),
      { ...env, NOTIFY_WEBHOOK_URL: WEBHOOK },
      ctx,
    );
    expect(response.status).toBe(202);
    release();
    await waitOnExecutionContext(ctx);
  });

  it("sends nothing without NOTIFY_WEBHOOK_URL, or for a honeypot hit", async () => {
    const fetchSpy = mockWebhook(() => new Response("ok"));
    await submit(validComment());
    await submit(validComment({ reference: "bot" }), { vars: { NOTIFY_WEBHOOK_URL: WEBHOOK } });
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
