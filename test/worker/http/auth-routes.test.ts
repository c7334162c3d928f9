// Every moderator route against every way of almost having the token: none, a wrong one, one of another
// length, the right one in the query string, a cookie or another scheme. All 401, no data, nothing changed.
import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { call, createPending, dumpKv, TOKEN } from "../helpers.ts";

afterEach(() => reset());

const ROUTES: Array<[string, string]> = [
  ["GET", "/api/admin/comments"], ["GET", "/api/admin/comments/:id"], ["POST", "/api/admin/comments/:id/approve"],
  ["POST", "/api/admin/comments/:id/reject"], ["DELETE", "/api/admin/comments/:id"], ["POST", "/api/admin/import"],
  ["GET", "/api/admin/export"], ["POST", "/api/admin/rebuild"],
];

const ATTEMPTS: Array<[string, Record<string, string>, string]> = [
  ["no token", {}, ""],
  ["a wrong token of the same length", { authorization: `Bearer ${"x".repeat(TOKEN.length)}` }, ""],
  ["a longer token", { authorization: `Bearer ${TOKEN}0` }, ""],
  ["a shorter token", { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, ""],
  ["an empty token", { authorization: "Bearer " }, ""],
  ["the token in the query string", {}, `token=${TOKEN}`],
  ["the token as access_token", {}, `access_token=${TOKEN}`],
  ["the token in a cookie", { cookie: `token=${TOKEN}; MODERATOR_TOKEN=${TOKEN}` }, ""],
  ["the token under Basic", { authorization: `Basic ${btoa(`moderator:${TOKEN}`)}` }, ""],
  ["the token with no scheme", { authorization: TOKEN }, ""],
  ["the token after a wrong one", { authorization: `Bearer wrong, Bearer ${TOKEN}` }, ""],
];

describe("the moderator API without the right token", () => {
  it("answers 401 on every route to every near miss, shows no comment and changes nothing", async () => {
    const id = await createPending({ body: "A pending comment nobody may see." });
    const before = await dumpKv();
    for (const [method, route] of ROUTES) {
      for (const [attempt, headers, query] of ATTEMPTS) {
        const path = route.replace(":id", id) + (query ? `?${query}` : "");
        const response = await call(path, { method, headers: { "content-type": "application/json", ...headers }, body: method === "POST" ? "[]" : undefined });
        const text = await response.text();
        expect(response.status, `${method} ${route} with ${attempt}`).toBe(401);
        expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
        expect(JSON.parse(text)).toMatchObject({ error: "unauthorized" });
        expect(text).not.toContain("pending comment");
      }
    }
    expect(await dumpKv()).toBe(before);
  });
});
