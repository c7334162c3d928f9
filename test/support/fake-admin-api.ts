// A stand-in for the comment worker that serves the /admin page as built (scripts/write-admin-page.ts) and answers
// issue 13's moderator API contract from memory, for browser tests of the page's features while the real routes
// are being built. Only what the page and its tests call: the public submission and thread (to seed and check),
// and /api/admin/{me, moderators, comments, comments/bulk, comments/:id[/approve|reject|spam|reply|block], rules}.
// It starts and stops like test/support/wrangler-dev.ts's worker, so a test can switch between the two.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { join } from "node:path";
import { ADMIN_PAGE_CSP, fillSiteUrl } from "../../admin/page.ts";
import { buildAdminPage } from "../../scripts/write-admin-page.ts";
import { buildManifest, listPostFiles, readPost } from "../../scripts/write-post-manifest.ts";

export const FAKE_SITE_URL = "http://localhost:8080";
const ROOT = join(import.meta.dirname, "..", "..");
const STATUSES = ["pending", "approved", "spam", "rejected"] as const;
type Status = (typeof STATUSES)[number];

interface Comment {
  id: string; post: string; parentId: string | null; author: string; email: string | null; website: string | null;
  body: string; createdAt: string; status: Status; moderatedAt: string | null; byBlog?: boolean;
}
interface Rule { id: string; kind: string; value: string; action: string; createdAt: string; createdBy: string }

export interface FakeAdminApi {
  url: string;
  /** An owner's token. */
  token: string;
  stop(): Promise<void>;
}

class Refusal extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Serves the page and the contract on a free loopback port. */
export async function startFakeAdminApi(): Promise<FakeAdminApi> {
  const page = await buildAdminPage();
  const posts = buildManifest(listPostFiles(join(ROOT, "posts")).map((file) => readPost(file, readFileSync(join(ROOT, file), "utf8")))).posts;
  const token = randomBytes(12).toString("hex");
  const people: Record<string, { name: string; role: string }> = { [token]: { name: "Olive Owner", role: "owner" } };
  const comments = new Map<string, Comment>();
  const rules: Rule[] = [];
  let serial = 0;
  const newId = (prefix: string) => `${prefix}${String(++serial).padStart(6, "0")}`;
  const now = () => new Date(Date.UTC(2026, 0, 1) + serial * 1000).toISOString();

  const find = (id: string) => {
    const comment = comments.get(id);
    if (!comment) throw new Refusal(404, "not_found", "There is no comment with that id.");
    return comment;
  };
  const setStatus = (comment: Comment, status: Status) => {
    comment.status = status;
    comment.moderatedAt = now();
    return { id: comment.id, status, moderatedAt: comment.moderatedAt, published: true };
  };
  const text = (body: unknown): string => {
    const value = (body as { body?: unknown } | null)?.body;
    if (typeof value !== "string" || !value.trim()) throw new Refusal(400, "invalid", "Write some text first.");
    return value;
  };
  const view = (c: Comment) => {
    const parent = c.parentId ? comments.get(c.parentId) : undefined;
    return { ...c, parent: parent ? { id: parent.id, author: parent.author, excerpt: parent.body.slice(0, 80) } : null };
  };

  async function answer(method: string, path: string, query: URLSearchParams, auth: string, body: unknown): Promise<[number, unknown]> {
    if (method === "POST" && path === "/api/comments") {
      const input = body as Partial<Comment>;
      const comment: Comment = {
        id: newId("c"), post: String(input.post), parentId: input.parentId ?? null, author: String(input.author),
        email: input.email ?? null, website: input.website ?? null, body: String(input.body), createdAt: now(),
        status: "pending", moderatedAt: null,
      };
      comments.set(comment.id, comment);
      return [202, { id: comment.id, status: "pending" }];
    }
    if (method === "GET" && path === "/api/comments") {
      const shown = [...comments.values()].filter((c) => c.post === query.get("post") && c.status === "approved");
      return [200, { comments: shown.map(({ id, parentId, author, body, byBlog }) => ({ id, parentId, author, body, byBlog })) }];
    }
    const me = people[auth.replace(/^Bearer /, "")];
    if (!me) throw new Refusal(401, "unauthorized", "A valid moderator token is required.");
    const ownerOnly = () => {
      if (me.role !== "owner") throw new Refusal(403, "forbidden", "Only an owner can do that.");
    };
    const route = `${method} ${path.replace(/^\/api\/admin/, "")}`;
    let m: RegExpMatchArray | null;
    if (route === "GET /me") return [200, me];
    if (route === "POST /moderators") {
      ownerOnly();
      const { name, role = "moderator" } = body as { name: string; role?: string };
      const issued = randomBytes(12).toString("hex");
      people[issued] = { name, role };
      return [201, { name, role, token: issued }];
    }
    if (route === "GET /comments") {
      const status = query.get("status") as Status;
      const q = query.get("q")?.toLowerCase();
      const matching = [...comments.values()].filter((c) => c.status === status
        && (!query.get("post") || c.post === query.get("post"))
        && (!q || [c.author, c.email ?? "", c.body].some((field) => field.toLowerCase().includes(q))));
      const start = Number(query.get("cursor") ?? 0);
      const limit = Number(query.get("limit") ?? 50);
      const counts = Object.fromEntries(STATUSES.map((s) => [s, [...comments.values()].filter((c) => c.status === s).length]));
      const next = start + limit < matching.length ? String(start + limit) : null;
      return [200, { comments: matching.slice(start, start + limit).map(view), posts, counts, next }];
    }
    if (route === "POST /comments/bulk") {
      const { action, ids } = body as { action: string; ids: string[] };
      const target: Record<string, Status> = { approve: "approved", reject: "rejected", spam: "spam" };
      return [200, { results: ids.map((id) => {
        const comment = comments.get(id);
        if (!comment) return { id, ok: false, error: "There is no comment with that id." };
        if (action === "delete") return comments.delete(id), { id, ok: true };
        return { id, ok: true, status: setStatus(comment, target[action]!).status };
      }) }];
    }
    if ((m = route.match(/^POST \/comments\/([^/]+)\/(approve|reject|spam)$/))) {
      return [200, setStatus(find(m[1]!), ({ approve: "approved", reject: "rejected", spam: "spam" } as const)[m[2] as "spam"])];
    }
    if ((m = route.match(/^DELETE \/comments\/([^/]+)$/))) return comments.delete(find(m[1]!).id), [204, null];
    if ((m = route.match(/^PATCH \/comments\/([^/]+)$/))) {
      const comment = find(m[1]!);
      comment.body = text(body);
      return [200, view(comment)];
    }
    if ((m = route.match(/^POST \/comments\/([^/]+)\/reply$/))) {
      const parent = find(m[1]!);
      if (parent.status !== "approved") throw new Refusal(404, "not_found", "There is no approved comment with that id to reply to.");
      const reply: Comment = { id: newId("c"), post: parent.post, parentId: parent.id, author: "The blog", email: null, website: null,
        body: text(body), createdAt: now(), status: "approved", moderatedAt: now(), byBlog: true };
      comments.set(reply.id, reply);
      return [201, view(reply)];
    }
    if ((m = route.match(/^POST \/comments\/([^/]+)\/block$/))) {
      const comment = find(m[1]!);
      const rule = { id: newId("r"), kind: "email", value: `hash-of-${comment.email}`, action: "spam", createdAt: now(), createdBy: me.name };
      rules.push(rule);
      return [200, { ...setStatus(comment, "spam"), rule }];
    }
    if (route === "GET /rules") return [200, { rules }];
    if (route === "POST /rules") {
      ownerOnly();
      const input = body as Partial<Rule>;
      if (input.kind !== "first-comment" && !String(input.value ?? "").trim()) throw new Refusal(400, "invalid", "Give the word to look for.");
      const rule = { id: newId("r"), kind: String(input.kind), value: String(input.value ?? ""), action: String(input.action ?? "hold"),
        createdAt: now(), createdBy: me.name };
      rules.push(rule);
      return [201, rule];
    }
    if ((m = route.match(/^DELETE \/rules\/([^/]+)$/))) {
      ownerOnly();
      const index = rules.findIndex((rule) => rule.id === m![1]);
      if (index < 0) throw new Refusal(404, "not_found", "There is no rule with that id.");
      rules.splice(index, 1);
      return [204, null];
    }
    throw new Refusal(404, "not_found", "Not found.");
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://fake");
    const assets: Record<string, [string, string]> = {
      "/admin": ["text/html; charset=utf-8", fillSiteUrl(page.html, FAKE_SITE_URL)],
      "/admin/admin.js": ["text/javascript; charset=utf-8", page.script],
      "/admin/admin.css": ["text/css; charset=utf-8", page.css],
    };
    const asset = request.method === "GET" ? assets[url.pathname] : undefined;
    if (asset) {
      response.writeHead(200, { "content-type": asset[0], "content-security-policy": ADMIN_PAGE_CSP }).end(asset[1]);
      return;
    }
    let raw = "";
    for await (const chunk of request) raw += chunk;
    try {
      const [status, body] = await answer(request.method ?? "GET", url.pathname, url.searchParams,
        request.headers.authorization ?? "", raw ? JSON.parse(raw) : null);
      response.writeHead(status, body === null ? {} : { "content-type": "application/json" }).end(body === null ? undefined : JSON.stringify(body));
    } catch (error) {
      const refusal = error instanceof Refusal ? error : new Refusal(500, "internal", String(error));
      response.writeHead(refusal.status, { "content-type": "application/json" })
        .end(JSON.stringify({ error: refusal.code, message: refusal.message }));
    }
  }

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("the fake API has no port");
  return {
    url: `http://127.0.0.1:${address.port}`, token,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
