import { env, exports } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, reset, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../worker/index.ts";
import * as store from "../../worker/publish/kv-store.ts";
import { ledgerOf } from "../../worker/http/context.ts";
import { admin, call, createApproved, failingKv, failingLedger, POST, submit, validComment } from "./helpers.ts";

afterEach(async () => {
  vi.restoreAllMocks();
  await reset();
});

describe("GET /api/health", () => {
  it("answers 200 {\"ok\":true}", async () => {
    const response = await exports.default.fetch("https://comments.example/api/health");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"ok":true}');
  });
});

describe("unknown addresses", () => {
  it("answer 404 in the error shape", async () => {
    for (const [method, path] of [["GET", "/"], ["GET", "/api/nope"], ["PUT", "/api/comments"], ["DELETE", "/api/comments"], ["PATCH", "/api/comments/counts/x"]]) {
      const response = await call(path!, { method });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await response.json()).toEqual({ error: "not_found", message: expect.any(String) });
    }
  });
});

describe("security headers", () => {
  it("mark every response nosniff, no-referrer, not frameable", async () => {
    for (const path of ["/api/health", `/api/comments?post=${POST}`, "/api/admin/comments", "/missing"]) {
      const response = await call(path);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
  });
});

describe("a KV or ledger outage", () => {
  it("is answered 503 with Retry-After on every path that needs KV or the ledger, never 500", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const id = await createApproved();
    const down = { COMMENTS: failingKv() };
    const requests: Array<[string, RequestInit]> = [
      [`/api/comments?post=${POST}`, {}],
      ["/api/comments/counts", {}],
      ["/api/comments", { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": "192.0.2.99" }, body: JSON.stringify(validComment()) }],
    ];
    for (const [path, init] of requests) {
      const response = await call(path, init, down, "https://outage.example");
      expect(response.status, path).toBe(503);
      expect(response.headers.get("retry-after")).toBe("30");
      expect(await response.json()).toMatchObject({ error: "unavailable" });
    }
    const ledgerDown = { LEDGER: failingLedger() };
    // The site build's source reads the ledger, not KV.
    const all = await call("/api/comments/all", {}, ledgerDown, "https://outage.example");
    expect(all.status).toBe(503);
    expect(all.headers.get("retry-after")).toBe("30");
    for (const [path, method] of [[`/comments/${id}/approve`, "POST"], [`/comments/${id}`, "DELETE"], ["/comments", "GET"], [`/comments/${id}`, "GET"], ["/export", "GET"], ["/rebuild", "POST"]]) {
      const response = await admin(path!, { method }, ledgerDown);
      expect(response.status, path).toBe(503);
      expect(response.headers.get("retry-after")).toBe("30");
    }
  });

  it("answers a reader's submission 503 so the client keeps their text", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await submit(validComment(), { vars: { COMMENTS: failingKv() } });
    expect(response.status).toBe(503);
  });

  it("keeps a submission made while the ledger is down, and the inbox cron brings it into the queue", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await submit(validComment({ body: "Sent while the ledger was down." }), { vars: { LEDGER: failingLedger() } });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    expect(await env.COMMENTS.get(`v1:inbox:${id}`)).toBe("1");
    expect(await ledgerOf(env).getComment(id)).toBeNull();

    await runCron("*/5 * * * *");
    expect(await ledgerOf(env).getComment(id)).toMatchObject({ id, status: "pending", body: "Sent while the ledger was down." });
    expect(await env.COMMENTS.get(`v1:inbox:${id}`)).toBeNull();
  });
});

async function runCron(cron: string): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled!(createScheduledController({ cron }), env, ctx);
  await waitOnExecutionContext(ctx);
}

describe("scheduled", () => {
  it("takes into the ledger, every hour, a comment KV holds that the ledger never heard of", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const record = { ...validComment(), id: "kv-only", website: null, parentId: null, createdAt: "2026-01-02T03:04:05.000Z", status: "pending" as const, moderatedAt: null };
    await store.putComment(env.COMMENTS, record, null);
    await runCron("17 * * * *");
    // The ledger keeps the record without its address (records keep only the salted hash).
    expect(await ledgerOf(env).getComment("kv-only")).toEqual({ ...record, email: null });
  });
});

describe("scheduled, by name", () => {
  it("logs a schedule it has no job for and runs nothing, never the reconcile", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const record = { ...validComment(), id: "kv-only-2", website: null, parentId: null, createdAt: "2026-01-02T03:04:05.000Z", status: "pending" as const, moderatedAt: null };
    await store.putComment(env.COMMENTS, record, null);
    await runCron("* * * * *");
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('unknown schedule "* * * * *"'));
    expect(await ledgerOf(env).getComment("kv-only-2")).toBeNull();
  });
});

describe("odd requests", () => {
  it("never get a 5xx", async () => {
    const odd: Array<[string, RequestInit]> = [
      ["/api/comments?post=%", {}],
      ["/api/comments?post=%E0%A4%A", {}],
      ["/api/comments?post=%00", {}],
      [`/api/comments?post=${"x".repeat(5000)}`, {}],
      ["/api/comments/counts?post=%ZZ&post=", {}],
      ["/api/admin/comments/%ZZ", { headers: { authorization: "Bearer test-moderator-token-0123456789" } }],
      ["/api/admin/comments/%ZZ/approve", { method: "POST", headers: { authorization: "Bearer test-moderator-token-0123456789" } }],
      ["/api/admin/comments?status=%", { headers: { authorization: "Bearer test-moderator-token-0123456789" } }],
      ["/api/comments", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "post=%&body=%E0%A4%A&author=%ZZ" }],
      ["/api/comments", { method: "POST", headers: { "content-type": "application/json" }, body: '{"__proto__":{"admin":true},"post":{"toString":1}}' }],
      ["/api/comments", { method: "POST", headers: { "content-type": "application/json" }, body: "[".repeat(10000) + "]".repeat(10000) }],
      ["/api/comments", { method: "POST", headers: { "content-type": "application/json" }, body: new Uint8Array([0xff, 0xfe, 0x00, 0x7b]) }],
      ["/api/comments", { method: "HEAD" }],
      ["/api/comments", { method: "OPTIONS" }],
      ["/api/admin/import", { method: "POST", headers: { authorization: "Bearer test-moderator-token-0123456789", "content-type": "application/json" }, body: '[{"post":1}, null, "x"]' }],
    ];
    for (const [path, init] of odd) {
      const response = await call(path, init);
      expect(response.status, `${init.method ?? "GET"} ${path.slice(0, 60)}`).toBeLessThan(500);
    }
  });
});
