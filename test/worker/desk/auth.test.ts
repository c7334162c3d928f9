import { describe, expect, it } from "vitest";
import { tokensMatch } from "../../../worker/desk/auth.ts";
import { call, TOKEN } from "../helpers.ts";

const adminWith = (headers: Record<string, string>, path = "/api/admin/comments", vars = {}) => call(path, { headers }, vars);

describe("requireModerator", () => {
  it("answers 401 with WWW-Authenticate: Bearer when no token is sent", async () => {
    const response = await adminWith({});
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
    expect(await response.json()).toMatchObject({ error: "unauthorized" });
  });

  it("answers 401 to a wrong token, a token of another length, or a prefix of the right one", async () => {
    for (const token of ["wrong", `${TOKEN}x`, TOKEN.slice(0, -1), TOKEN.toUpperCase(), ""]) {
      const response = await adminWith({ authorization: `Bearer ${token}` });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
    }
  });

  it("answers 401 to the right token sent another way (query string, Basic, bare)", async () => {
    expect((await adminWith({}, `/api/admin/comments?token=${TOKEN}`)).status).toBe(401);
    expect((await adminWith({}, `/api/admin/comments?access_token=${TOKEN}`)).status).toBe(401);
    expect((await adminWith({ authorization: `Basic ${btoa(`admin:${TOKEN}`)}` })).status).toBe(401);
    expect((await adminWith({ authorization: TOKEN })).status).toBe(401);
    expect((await adminWith({ "x-moderator-token": TOKEN })).status).toBe(401);
  });

  it("lets the right token through, whatever the scheme's case", async () => {
    expect((await adminWith({ authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await adminWith({ authorization: `bearer ${TOKEN}` })).status).toBe(200);
  });

  it("keeps the admin API off (503) when no token is configured, even for a guessed empty token", async () => {
    for (const MODERATOR_TOKEN of [undefined, ""]) {
      const response = await adminWith({ authorization: "Bearer " }, "/api/admin/comments", { MODERATOR_TOKEN });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: "admin_disabled" });
    }
  });

  it("guards every admin route", async () => {
    const routes: Array<[string, string]> = [
      ["GET", "/api/admin/comments"], ["GET", "/api/admin/comments/x"], ["POST", "/api/admin/comments/x/approve"],
      ["POST", "/api/admin/comments/x/reject"], ["DELETE", "/api/admin/comments/x"], ["POST", "/api/admin/import"],
      ["GET", "/api/admin/export"], ["POST", "/api/admin/rebuild"],
    ];
    for (const [method, path] of routes) expect((await call(path, { method })).status, `${method} ${path}`).toBe(401);
  });
});

describe("tokensMatch", () => {
  it("matches only the identical token", async () => {
    expect(await tokensMatch("abc", "abc")).toBe(true);
    expect(await tokensMatch("abc", "abd")).toBe(false);
    expect(await tokensMatch("abc", "abcd")).toBe(false);
    expect(await tokensMatch("", "abc")).toBe(false);
  });
});
