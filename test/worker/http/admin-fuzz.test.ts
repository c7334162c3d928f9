// Property-based fuzzing of the moderator API: generated requests that mostly reach a moderator route
// (approve, reject, delete, import with hostile entries, rebuild, export) with the token, and any request without it.
// With the token: never a 5xx, nothing written when it refuses, and after every write the published threads, counts
// are exactly derived from valid records. Without it: always 401, nothing changed, nothing shown.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { adminPath, adminRoute, contentType, extraHeaders, headerValue, origin, query } from "../fuzz-arbitraries.ts";
import { check, clientIp, leakProblems, request, responseProblems, runs, send, storeProblems, useSeededStore } from "../fuzz-harness.ts";
import { TOKEN } from "../helpers.ts";
import { consistencyProblems, readStore } from "../invariants.ts";

useSeededStore();

describe("fuzzing the moderator API", () => {
  it("never fails with a 5xx, writes nothing when it refuses, and leaves published data derived from valid records", async () => {
    const authorized = fc.record({ route: adminRoute, query, type: contentType, origin, ip: clientIp, extra: extraHeaders })
      .map(({ route, query, type, origin, ip, extra }) => {
        const headers: Record<string, string> = { ...extra, "cf-connecting-ip": ip, "content-type": route.json ? "application/json" : type, authorization: `Bearer ${TOKEN}` };
        if (origin !== undefined) headers.origin = origin;
        return { method: route.method, target: route.path + query, headers, body: route.body };
      });
    await check(
      fc.asyncProperty(authorized, async (req) => {
        const sent = await send(req);
        const problems = responseProblems(sent);
        if (sent.response.status >= 400 && sent.writes.length > 0) problems.push(`status ${sent.response.status} but wrote ${sent.writes.join()}`);
        // The ledger writes the published keys itself (not through the request's KV binding): check after every change.
        if (sent.response.ok && sent.request.method !== "GET") problems.push(...consistencyProblems(await readStore()));
        expect(problems).toEqual([]);
      }),
      runs(1000),
    );
  }, 120_000);

  it("answers 401 to every request without the right token, whatever else it carries, and changes nothing", async () => {
    const badCredentials = fc.oneof(
      fc.constant<Record<string, string>>({}),
      fc.constantFrom("Bearer wrong", `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${"x".repeat(TOKEN.length)}`, `Basic ${btoa(`admin:${TOKEN}`)}`,
        TOKEN, `Bearer ${TOKEN} extra`, `Bearer wrong, Bearer ${TOKEN}`, "Bearer ", `Token ${TOKEN}`).map((authorization) => ({ authorization })),
      headerValue.map((authorization) => ({ authorization })),
      fc.constant({ cookie: `token=${TOKEN}`, "x-moderator-token": TOKEN }),
    );
    const unauthorized = fc.tuple(request(adminPath), badCredentials, fc.constantFrom("", `token=${TOKEN}`, `access_token=${TOKEN}`))
      .map(([req, credentials, inQuery]) => {
        const headers: Record<string, string> = { ...req.headers, ...credentials };
        if (!Object.hasOwn(credentials, "authorization")) delete headers.authorization;
        const target = inQuery ? `${req.target}${req.target.includes("?") ? "&" : "?"}${inQuery}` : req.target;
        return { ...req, target, headers };
      });
    await check(
      fc.asyncProperty(unauthorized, async (req) => {
        const sent = await send(req);
        const problems = responseProblems(sent);
        // The URL parser resolves dot segments (`/api/admin/%2e%2e/x` is `/api/x`): only what still reaches the admin API counts.
        const reachesAdmin = /^\/api\/admin(\/|$)/.test(new URL(sent.request.url).pathname);
        if (reachesAdmin && sent.response.status !== 401) problems.push(`status ${sent.response.status}`);
        if (sent.writes.length > 0) problems.push(`wrote ${sent.writes.join()}`);
        if (reachesAdmin && sent.text !== "" && (JSON.parse(sent.text) as { error?: string }).error !== "unauthorized") problems.push(sent.text.slice(0, 200));
        problems.push(...leakProblems(sent.text));
        expect(problems).toEqual([]);
      }),
      runs(1000),
    );
    expect(await storeProblems()).toEqual([]);
  }, 60_000);
});
