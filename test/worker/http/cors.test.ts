// Which browser origins may use the API: the blog's origins read and post; any other origin, the opaque
// `null` origin and look-alikes get no CORS grant and cannot post; requests without Origin are not browsers. The
// moderator API grants CORS to nobody, and nothing ever allows credentials.
import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { call, dumpKv, POST, randomIp, SITE, TOKEN, validComment } from "../helpers.ts";

afterEach(() => reset());

const ALLOWED = [SITE, "http://127.0.0.1:8080"];
const FOREIGN = [
  "https://evil.example", "null", "http://localhost:8080.evil.example", "http://localhost:8081", "https://localhost:8080",
  "HTTP://LOCALHOST:8080", `${SITE}/`, "http://evil.example/http://localhost:8080", "file://",
];
const READS = [`/api/comments?post=${POST}`, "/api/comments/counts", "/api/comments/all"];

const read = (path: string, origin?: string) => call(path, { headers: origin === undefined ? {} : { origin } });
const post = (origin?: string) =>
  call("/api/comments", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": randomIp(), cookie: "session=1", ...(origin === undefined ? {} : { origin }) },
    body: JSON.stringify(validComment()),
  });
const preflight = (path: string, origin: string | undefined, headers = "content-type", method = "POST") =>
  call(path, {
    method: "OPTIONS",
    headers: { "access-control-request-method": method, "access-control-request-headers": headers, ...(origin === undefined ? {} : { origin }) },
  });

function expectNoGrant(response: Response, label: string): void {
  expect(response.headers.get("access-control-allow-origin"), label).toBeNull();
  expect(response.headers.get("access-control-allow-credentials"), label).toBeNull();
}

describe("CORS on the public API", () => {
  it("lets the blog's origins read every public endpoint, never with credentials", async () => {
    for (const origin of ALLOWED) {
      for (const path of READS) {
        const response = await read(path, origin);
        expect(response.status, path).toBe(200);
        expect(response.headers.get("access-control-allow-origin"), path).toBe(origin);
        expect(response.headers.get("access-control-allow-credentials"), path).toBeNull();
        expect(response.headers.get("vary"), path).toContain("Origin");
      }
    }
  });

  it("answers reads from other origins, `null` and look-alikes without a CORS grant, so their pages cannot read them", async () => {
    for (const origin of FOREIGN) {
      for (const path of READS) {
        const response = await read(path, origin);
        expect(response.status, `${origin} ${path}`).toBe(200);
        expectNoGrant(response, `${origin} ${path}`);
      }
    }
  });

  it("grants nothing to a read without Origin (not a browser), and it still works", async () => {
    for (const path of READS) {
      const response = await read(path);
      expect(response.status).toBe(200);
      expectNoGrant(response, path);
    }
  });

  it("accepts submissions from the blog's origins and from clients without Origin, never granting credentials", async () => {
    for (const origin of [...ALLOWED, undefined]) {
      const response = await post(origin);
      expect(response.status, String(origin)).toBe(202);
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
      expect(response.headers.get("access-control-allow-origin")).toBe(origin ?? null);
    }
  });

  it("refuses submissions from every other origin, `null` included, and stores nothing", async () => {
    for (const origin of FOREIGN) {
      const response = await post(origin);
      expect(response.status, origin).toBe(403);
      expectNoGrant(response, origin);
    }
    expect(await dumpKv()).toBe("");
  });

  it("answers the blog's preflight with exactly what the script needs: POST with a JSON content type, and PATCH/DELETE with the edit token", async () => {
    for (const origin of ALLOWED) {
      const response = await preflight("/api/comments", origin);
      expect(response.status).toBe(204);
      expect(response.headers.get("access-control-allow-origin")).toBe(origin);
      expect(response.headers.get("access-control-allow-methods")).toBe("GET,POST,PATCH,DELETE,OPTIONS");
      expect(response.headers.get("access-control-allow-headers")).toBe("Content-Type,Authorization");
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
      for (const method of ["PATCH", "DELETE"]) {
        const edit = await preflight("/api/comments/01ABC", origin, "content-type, authorization", method);
        expect(edit.status, method).toBe(204);
        expect(edit.headers.get("access-control-allow-origin")).toBe(origin);
        expect(edit.headers.get("access-control-allow-credentials")).toBeNull();
      }
    }
  });

  it("refuses an author's edit or delete preflight from other origins and `null` (403, no grant)", async () => {
    for (const origin of FOREIGN) {
      for (const method of ["PATCH", "DELETE"]) {
        const response = await preflight("/api/comments/01ABC", origin, "content-type, authorization", method);
        expect(response.status, `${method} ${origin}`).toBe(403);
        expectNoGrant(response, origin);
      }
    }
  });

  it("refuses preflights from other origins and `null` (403, no grant), and grants nothing without Origin", async () => {
    for (const origin of FOREIGN) {
      const response = await preflight("/api/comments", origin);
      expect(response.status, origin).toBe(403);
      expectNoGrant(response, origin);
    }
    expectNoGrant(await preflight("/api/comments", undefined), "no Origin");
  });
});

describe("CORS on the moderator API and the /admin page", () => {
  const ROUTES: Array<[string, string]> = [
    ["GET", "/api/admin/comments"], ["GET", "/api/admin/comments/x"], ["POST", "/api/admin/comments/x/approve"], ["POST", "/api/admin/comments/x/reject"],
    ["DELETE", "/api/admin/comments/x"], ["POST", "/api/admin/import"], ["GET", "/api/admin/export"], ["POST", "/api/admin/rebuild"],
  ];

  it("grants no origin at all, the blog's included, with or without the token", async () => {
    for (const [method, path] of ROUTES) {
      for (const origin of [...ALLOWED, "https://evil.example", "null"]) {
        for (const authorization of [undefined, `Bearer ${TOKEN}`]) {
          const headers: Record<string, string> = { origin, cookie: "session=1", "content-type": "application/json" };
          if (authorization) headers.authorization = authorization;
          const response = await call(path, { method, headers, body: method === "POST" ? "[]" : undefined });
          expectNoGrant(response, `${method} ${path} from ${origin}`);
          expect(response.headers.get("access-control-allow-methods"), path).toBeNull();
        }
      }
    }
  });

  it("refuses every preflight (401, no grant), so no other page can send the token", async () => {
    for (const [method, path] of ROUTES) {
      for (const origin of [...ALLOWED, "https://evil.example"]) {
        const response = await preflight(path, origin, "authorization, content-type", method);
        expect(response.status, `${method} ${path}`).toBe(401);
        expectNoGrant(response, `${method} ${path} from ${origin}`);
      }
    }
  });

  it("grants nothing on the /admin page, its assets or the health check", async () => {
    for (const path of ["/admin", "/admin/admin.js", "/admin/admin.css", "/api/health"]) {
      expectNoGrant(await read(path, SITE), path);
      expectNoGrant(await read(path, "https://evil.example"), path);
    }
  });
});
