import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RATE_LIMIT_PERIOD_SECONDS, SITEVERIFY_URL } from "../../../worker/intake/guard.ts";
import { hashClient } from "../../../worker/intake/ids.ts";
import { dumpKv, POST, SITE, submit, submitForm, validComment } from "../helpers.ts";

afterEach(async () => {
  vi.restoreAllMocks();
  await reset();
});

describe("honeypot", () => {
  it("answers a filled honeypot like a success and stores nothing", async () => {
    const response = await submit(validComment({ reference: "Spam Ltd" }));
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ id: expect.any(String), status: "pending" });
    expect(await dumpKv()).toBe("");
  });

  it("redirects a filled honeypot form like a success and stores nothing", async () => {
    const response = await submitForm({ post: POST, author: "Bot", email: "bot@example.org", body: "buy now", reference: "x" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${SITE}/posts/${POST}/#comment-submitted`);
    expect(await dumpKv()).toBe("");
  });

  it("answers a bot like a success even when the rest of its submission is invalid", async () => {
    expect((await submit({ reference: "x", email: "nope" })).status).toBe(202);
  });

  it("accepts an empty honeypot, as a person's form sends it", async () => {
    expect((await submit(validComment({ reference: "" }))).status).toBe(202);
    expect(await dumpKv()).not.toBe("");
  });
});

describe("rate limit", () => {
  it("accepts 5 comments a minute from one client and answers the 6th with 429 and Retry-After", async () => {
    const ip = "192.0.2.10";
    for (let i = 0; i < 5; i++) expect((await submit(validComment(), { ip })).status).toBe(202);
    const limited = await submit(validComment(), { ip });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe(String(RATE_LIMIT_PERIOD_SECONDS));
    expect(limited.headers.get("access-control-expose-headers")).toContain("Retry-After");
    expect(await limited.json()).toMatchObject({ error: "rate_limited" });
    expect((await submit(validComment(), { ip: "192.0.2.11" })).status).toBe(202);
  });

  it("does not spend a client's budget on submissions that fail validation", async () => {
    const ip = "192.0.2.20";
    for (let i = 0; i < 6; i++) expect((await submit({ post: POST }, { ip })).status).toBe(422);
    expect((await submit(validComment(), { ip })).status).toBe(202);
  });

  it("keys the limit on a salted hash of the IP, never the IP", async () => {
    const key = await hashClient("192.0.2.1", "salt-a");
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toContain("192.0.2.1");
    expect(await hashClient("192.0.2.1", "salt-b")).not.toBe(key);
    expect(await hashClient("192.0.2.1", "salt-a")).toBe(key);
  });
});

describe("Turnstile", () => {
  const secret = { TURNSTILE_SECRET: "1x0000000000000000000000000000000AA" };

  function mockSiteverify(outcome: object | Error, status = 200) {
    return vi.spyOn(globalThis, "fetch").mockImplementation(async () => {
      if (outcome instanceof Error) throw outcome;
      return new Response(JSON.stringify(outcome), { status, headers: { "content-type": "application/json" } });
    });
  }

  it("is off by default: no token needed and no call to Cloudflare", async () => {
    const fetchSpy = mockSiteverify({ success: false });
    expect((await submit(validComment())).status).toBe(202);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("accepts a submission whose token siteverify accepts, sending the secret, token and client IP", async () => {
    const fetchSpy = mockSiteverify({ success: true });
    const response = await submit(validComment({ "cf-turnstile-response": "XXXX.DUMMY.TOKEN.XXXX" }), { ip: "192.0.2.50", vars: secret });
    expect(response.status).toBe(202);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const [url, init] = fetchSpy.mock.calls[0]!;
    expect(String(url)).toBe(SITEVERIFY_URL);
    const sent = new URLSearchParams(String(init?.body));
    expect(Object.fromEntries(sent)).toEqual({ secret: secret.TURNSTILE_SECRET, response: "XXXX.DUMMY.TOKEN.XXXX", remoteip: "192.0.2.50" });
  });

  it("accepts the token from the plain form too", async () => {
    mockSiteverify({ success: true });
    const response = await submitForm(
      { post: POST, author: "Ada", email: "ada@example.org", body: "Hi", "cf-turnstile-response": "token" },
      { vars: secret },
    );
    expect(response.status).toBe(303);
  });

  it("answers 403 without a token, and does not call siteverify", async () => {
    const fetchSpy = mockSiteverify({ success: true });
    const response = await submit(validComment(), { vars: secret });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: "turnstile_failed" });
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(await dumpKv()).toBe("");
  });

  it("answers 403 when siteverify rejects the token", async () => {
    mockSiteverify({ success: false, "error-codes": ["invalid-input-response"] });
    const response = await submit(validComment({ "cf-turnstile-response": "bad" }), { vars: secret });
    expect(response.status).toBe(403);
    expect(await dumpKv()).toBe("");
  });

  it("answers 503 with Retry-After when siteverify fails or cannot be reached", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    for (const outcome of [{ success: false, "error-codes": ["internal-error"] }, new Error("network down")]) {
      mockSiteverify(outcome);
      const response = await submit(validComment({ "cf-turnstile-response": "token" }), { vars: secret });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
      vi.mocked(globalThis.fetch).mockRestore();
    }
    mockSiteverify({}, 500);
    expect((await submit(validComment({ "cf-turnstile-response": "token" }), { vars: secret })).status).toBe(503);
  });
});
