// The one-click moderation links: signed, expiring, naming a moderator, working once; a GET never changes anything.
import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildActionUrls, signLink, verifyLink } from "../../../worker/desk/action-links.ts";
import { admin, BASE, call, createPending, getThread, submit, validComment, type Vars } from "../helpers.ts";

afterEach(async () => {
  vi.restoreAllMocks();
  await reset();
});

const SECRET = "link-secret-for-tests-5d1e";
const VARS: Vars = { LINK_SECRET: SECRET };
const WEBHOOK = "https://hooks.example/services/T000/B000/XXXX";

const statusOf = async (id: string) => ((await (await admin(`/comments/${id}`)).json()) as { comment: { status: string } }).comment.status;
const path = (url: string) => new URL(url).pathname;
const open = (url: string, vars: Vars = VARS) => call(path(url), {}, vars);
const confirm = (url: string, vars: Vars = VARS) => call(path(url), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "" }, vars);

async function linksFor(id: string, vars: Record<string, string> = {}) {
  const urls = await buildActionUrls({ LINK_SECRET: SECRET, MODERATOR_TOKEN: "t", ...vars } as unknown as Env, BASE, id);
  if (!urls) throw new Error("no links");
  return urls;
}

describe("signLink and verifyLink", () => {
  it("reads back what was signed, and refuses a changed claim or another secret", async () => {
    const claims = { action: "approve" as const, id: "c1", moderator: "owner", exp: Date.now() + 1000, link: "l1" };
    const token = await signLink(claims, SECRET);
    expect(await verifyLink(token, SECRET)).toEqual(claims);
    expect(await verifyLink(token, "another-secret")).toBeNull();
    const [, signature] = token.split(".");
    const forged = `${btoa(JSON.stringify({ ...claims, action: "spam" })).replace(/=+$/, "")}.${signature}`;
    expect(await verifyLink(forged, SECRET)).toBeNull();
    expect(await verifyLink("not-a-token", SECRET)).toBeNull();
  });

  it("gives no links without LINK_SECRET or MODERATOR_TOKEN, and links that expire after LINK_TTL_DAYS (7 by default)", async () => {
    expect(await buildActionUrls({ MODERATOR_TOKEN: "t" } as Env, BASE, "c1")).toBeNull();
    expect(await buildActionUrls({ LINK_SECRET: SECRET } as Env, BASE, "c1")).toBeNull();
    const now = Date.now();
    for (const [days, expected] of [[undefined, 7], ["2", 2]] as const) {
      const env = { LINK_SECRET: SECRET, MODERATOR_TOKEN: "t", ...(days ? { LINK_TTL_DAYS: days } : {}) } as unknown as Env;
      const urls = (await buildActionUrls(env, BASE, "c1", now))!;
      const claims = await verifyLink(urls.approveUrl.split("/").at(-1)!, SECRET);
      expect(claims?.exp).toBe(now + expected * 24 * 60 * 60 * 1000);
      expect(claims?.moderator).toBe("owner");
    }
  });
});

describe("GET /admin/act/:token", () => {
  it("shows a confirmation page with a button that posts, and changes nothing however often it is opened", async () => {
    const id = await createPending({ body: "Please approve me 41aa." });
    const { approveUrl } = await linksFor(id);
    for (let i = 0; i < 3; i++) {
      const response = await open(approveUrl);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('<form method="post">');
      expect(html).toContain("Please approve me 41aa.");
      expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
      expect(response.headers.get("content-security-policy")).toContain("form-action 'self'");
    }
    expect(await statusOf(id)).toBe("pending");
  });

  it("answers 404 without LINK_SECRET or with the admin API off, and for a token that is not signed with it", async () => {
    const id = await createPending();
    const { approveUrl } = await linksFor(id);
    expect((await open(approveUrl, {})).status).toBe(404);
    expect((await confirm(approveUrl, { ...VARS, MODERATOR_TOKEN: undefined })).status).toBe(404);
    expect((await confirm(approveUrl, {})).status).toBe(404);
    expect((await open(approveUrl, { LINK_SECRET: "rotated" })).status).toBe(404);
    expect(await statusOf(id)).toBe("pending");
  });

  it("answers 410 for an expired link and changes nothing on its POST", async () => {
    const id = await createPending();
    const token = await signLink({ action: "approve", id, moderator: "owner", exp: Date.now() - 1, link: crypto.randomUUID() }, SECRET);
    expect((await call(`/admin/act/${token}`, {}, VARS)).status).toBe(410);
    expect((await call(`/admin/act/${token}`, { method: "POST" }, VARS)).status).toBe(410);
    expect(await statusOf(id)).toBe("pending");
  });
});

describe("POST /admin/act/:token", () => {
  it("approves once, audited under the link's moderator; a second use of it or its sibling links answers 410", async () => {
    const id = await createPending();
    const { approveUrl, spamUrl } = await linksFor(id);
    const done = await confirm(approveUrl);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("approved");
    expect((await getThread()).comments.map((c) => c.id)).toEqual([id]);
    const again = await confirm(approveUrl);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("already used");
    expect((await confirm(spamUrl)).status).toBe(410);
    expect((await open(approveUrl)).status).toBe(410);
    expect(await statusOf(id)).toBe("approved");
    const { entries } = (await (await admin("/audit")).json()) as { entries: Array<{ moderator: string; action: string; id: string }> };
    expect(entries.filter((e) => e.id === id && e.action === "approve")).toEqual([expect.objectContaining({ moderator: "owner" })]);
  });

  it("acts as NOTIFY_MODERATOR, and refuses (403) once that moderator is revoked", async () => {
    const added = await admin("/moderators", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Ada" }) });
    expect(added.status).toBe(201);
    const first = await createPending();
    const second = await createPending();
    await confirm((await linksFor(first, { NOTIFY_MODERATOR: "Ada" })).spamUrl);
    expect(await statusOf(first)).toBe("spam");
    const { entries } = (await (await admin("/audit")).json()) as { entries: Array<{ moderator: string; action: string }> };
    expect(entries[0]).toMatchObject({ moderator: "Ada", action: "spam" });
    const { approveUrl } = await linksFor(second, { NOTIFY_MODERATOR: "Ada" });
    await admin("/moderators/Ada", { method: "DELETE" });
    expect((await confirm(approveUrl)).status).toBe(403);
    expect(await statusOf(second)).toBe("pending");
  });
});

describe("POST /api/comments notification (one-click links)", () => {
  it("carries signed Approve, Reject and Spam links in the webhook payload and its text when LINK_SECRET is set", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response("ok"));
    await submit(validComment(), { vars: { NOTIFY_WEBHOOK_URL: WEBHOOK, ...VARS } });
    const payload = JSON.parse(String(fetchSpy.mock.calls[0]![1]?.body)) as Record<string, string>;
    for (const key of ["approveUrl", "rejectUrl", "spamUrl"]) {
      expect(payload[key]).toMatch(new RegExp(`^${BASE}/admin/act/[\\w-]+\\.[\\w-]+$`));
      expect(payload.text).toContain(payload[key]);
      expect(payload.content).toContain(payload[key]);
    }
    fetchSpy.mockClear();
    await submit(validComment(), { vars: { NOTIFY_WEBHOOK_URL: WEBHOOK } });
    expect(JSON.parse(String(fetchSpy.mock.calls[0]![1]?.body))).not.toHaveProperty("approveUrl");
  });

  it("is not sent for a comment a rule marks spam", async () => {
    await admin("/rules", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "word", value: "viagra", action: "spam" }) });
    const fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response("ok"));
    const response = await submit(validComment({ body: "Cheap viagra." }), { vars: { NOTIFY_WEBHOOK_URL: WEBHOOK } });
    expect(await response.json()).toMatchObject({ status: "pending" });
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe("a one-click approval of a text edited after its page was opened", () => {
  it("is refused (409) and leaves the link unused; the page opened again shows the new text and approves it", async () => {
    const response = await submit(validComment({ body: "Harmless words 7c2f." }));
    const { id, editToken } = (await response.json()) as { id: string; editToken: string };
    const { approveUrl } = await linksFor(id);
    const page = await (await open(approveUrl)).text();
    expect(page).toContain("Harmless words 7c2f.");
    const revision = /name="revision" value="(\d+)"/.exec(page)?.[1];
    expect(revision).toBe("0");

    const edited = await call(`/api/comments/${id}`, {
      method: "PATCH", headers: { "content-type": "application/json", authorization: `Bearer ${editToken}`, origin: "http://localhost:8080" },
      body: JSON.stringify({ body: "Something else entirely 9e1b." }),
    });
    expect(edited.status).toBe(200);
    const post = (seen: string) => call(path(approveUrl), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `revision=${seen}` }, VARS);
    expect((await post(revision!)).status).toBe(409);
    expect(await statusOf(id)).toBe("pending");

    const reopened = await (await open(approveUrl)).text();
    expect(reopened).toContain("Something else entirely 9e1b.");
    expect((await post(/name="revision" value="(\d+)"/.exec(reopened)![1]!)).status).toBe(200);
    expect(await statusOf(id)).toBe("approved");
  });
});
