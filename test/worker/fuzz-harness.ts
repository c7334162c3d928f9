// The fuzz tests' harness: the seed, a seeded store, and what every response and write must satisfy.
// http/fuzz.test.ts (public API, submissions, schema) and http/admin-fuzz.test.ts (moderator API) share it.
import { env } from "cloudflare:workers";
import { createExecutionContext, reset, waitOnExecutionContext } from "cloudflare:test";
import fc from "fast-check";
import { afterEach, beforeEach, expect, vi } from "vitest";
import { app } from "../../worker/index.ts";
import { listPosts } from "../../worker/intake/posts.ts";
import { BODY_MAX } from "../../worker/intake/schema.ts";
import type { AdminComment, CommentMeta } from "../../worker/publish/kv-store.ts";
import { body, contentType, extraHeaders, type FuzzRequest, headerValue, method, origin, query, toRequest } from "./fuzz-arbitraries.ts";
import { countingKv, OTHER_POST, POST, SITE, TOKEN } from "./helpers.ts";
import { consistencyProblems, contentProblems, readStore, recordProblems, type StoreSnapshot } from "./invariants.ts";
import type { MarkupNode } from "../../client/markup.ts";

// Vite hands VITE_* variables to workerd as import.meta.env. Read by a computed key: Vitest's module cache keeps a
// file compiled with the value `import.meta.env` had the first time, so a replay seed would stick to later runs.
const ENV_KEY = "env";
const runEnv = (import.meta as unknown as Record<string, Record<string, string | undefined> | undefined>)[ENV_KEY] ?? {};
export const SEED = Number(runEnv.FUZZ_SEED || runEnv.VITE_FUZZ_SEED || Date.now() % 2 ** 31);
/** Multiplies every property's run count (VITE_FUZZ_SCALE=10 for a long local run). */
const SCALE = Number(runEnv.FUZZ_SCALE || runEnv.VITE_FUZZ_SCALE || 1);
export const runs = (n: number) => Math.max(1, Math.round(n * SCALE));
console.log(`fuzz seed ${SEED} (replay: VITE_FUZZ_SEED=${SEED} npx vitest run --project worker fuzz)`);

const BASE = "https://fuzz.example";
const ALLOWED_ORIGINS = ["http://localhost:8080", "http://127.0.0.1:8080"];
const EXACT_TYPES = new Set(["application/json", "text/html; charset=UTF-8", "text/javascript; charset=utf-8", "text/css; charset=utf-8"]);
export const REDIRECTS = new Set([`${SITE}/`, ...listPosts().map((p) => `${SITE}${p.url}#comment-submitted`)]);
const PUBLIC_FIELDS = "author,body,content,createdAt,id,parentId,revision,website";

// The store every property starts from: one comment in each state, with markers that must never reach the public.
export const SEED_COMMENTS = [
  { id: "seed-approved", post: POST, author: "Approved Author", email: "approved.q8z@example.org", body: "An approved comment.", status: "approved" },
  { id: "seed-pending", post: POST, author: "Pending Author 9d2e", email: "pending.x7k@example.org", body: "UNAPPROVED-PENDING-3f9a", status: "pending" },
  { id: "seed-rejected", post: POST, author: "Rejected Author 4b1c", email: "rejected.w2m@example.org", body: "UNAPPROVED-REJECTED-7c1d", status: "rejected" },
  { id: "seed-reply", post: POST, parentId: "seed-approved", author: "Replier", email: "reply.p4n@example.org", body: "A reply.", status: "approved" },
  { id: "seed-legacy", post: OTHER_POST, author: "Legacy Reader", email: null, body: "From WordPress.", status: "approved" },
  { id: "seed-wordpress", post: OTHER_POST, author: "WordPress Reader", email: null, body: '<b>From</b> <a href="javascript:alert(1)">WordPress</a><script>alert(1)</script>', status: "approved", format: "html" },
  { id: "seed-blog", post: OTHER_POST, author: "Leadership Academy", email: null, body: "**The blog** replies.", status: "approved", byBlog: true },
].map((c) => ({ parentId: null, website: null, createdAt: "2012-08-23T12:00:00.000Z", ...c }));
const APPROVED_IDS = new Set(SEED_COMMENTS.filter((c) => c.status === "approved").map((c) => c.id));
const SECRETS = [
  ...SEED_COMMENTS.flatMap((c) => (c.email ? [c.email] : [])),
  ...SEED_COMMENTS.filter((c) => c.status !== "approved").flatMap((c) => [c.body, c.author]),
];

export interface Sent {
  request: Request;
  response: Response;
  text: string;
  writes: string[];
}

let errors: unknown[][] = [];
let seeded: StoreSnapshot;

/** Registers hooks that give each test a fresh store seeded with SEED_COMMENTS, and collect logged errors. */
export function useSeededStore(): void {
  beforeEach(seedStore);
  afterEach(() => vi.restoreAllMocks());
}

async function seedStore(): Promise<void> {
  await reset();
  errors = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void errors.push(args));
  const imported = await send({ method: "POST", target: "/api/admin/import", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(SEED_COMMENTS) });
  expect(imported.response.status, imported.text).toBe(200);
  seeded = await readStore();
}

/** Sends a request through the app with a KV binding that records every key written or deleted. */
export async function send(req: FuzzRequest): Promise<Sent> {
  const { ns, ops } = countingKv();
  const ctx = createExecutionContext();
  const request = toRequest(BASE, req);
  const response = await app.fetch(request.clone(), { ...env, MODERATOR_TOKEN: TOKEN, TURNSTILE_SECRET: undefined, NOTIFY_WEBHOOK_URL: undefined, COMMENTS: ns }, ctx);
  const text = await response.text();
  await waitOnExecutionContext(ctx);
  statuses[response.status] = (statuses[response.status] ?? 0) + 1;
  if (ops.written.length > 0) statuses.wrote = (statuses.wrote ?? 0) + 1;
  return { request, response, text, writes: ops.written };
}

/** What every response must be, whatever was asked. */
export function responseProblems({ request, response, text }: Sent): string[] {
  const problems: string[] = [];
  const type = response.headers.get("content-type");
  if (response.status >= 500) problems.push(`status ${response.status}: ${text.slice(0, 200)}`);
  if (response.headers.get("x-content-type-options") !== "nosniff") problems.push("no nosniff");
  if (text !== "" && !EXACT_TYPES.has(type ?? "")) problems.push(`content-type ${type}`);
  if (type === "application/json" && text !== "") {
    try {
      JSON.parse(text);
    } catch {
      problems.push("a JSON response that is not JSON");
    }
  }
  if (response.headers.has("access-control-allow-credentials")) problems.push("grants credentials");
  const granted = response.headers.get("access-control-allow-origin");
  if (granted !== null && (granted !== request.headers.get("origin") || !ALLOWED_ORIGINS.includes(granted))) problems.push(`CORS grant to ${granted}`);
  if (granted !== null && new URL(request.url).pathname.startsWith("/api/admin")) problems.push("CORS grant on the admin API");
  const location = response.headers.get("location");
  if (location !== null && !REDIRECTS.has(location)) problems.push(`redirects to ${location}`);
  if (errors.length > 0) problems.push(`logged an error: ${String(errors[0]?.[0])} ${String(errors[0]?.[1])}`);
  return problems;
}

/** A public response must not contain an email, anything unapproved, or a field readers never see. */
export function leakProblems(text: string): string[] {
  const problems = SECRETS.filter((secret) => text.includes(secret)).map((secret) => `leaks ${secret}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return problems;
  }
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== "object" || value === null) return;
    const keys = Object.keys(value);
    // An error names failing fields (`fields.email`), never their values: its text was checked above.
    if (keys.includes("error")) return;
    if (keys.includes("email") || keys.includes("moderatedAt")) problems.push(`a public object with ${keys.join()}`);
    if (keys.includes("body") && keys.includes("id")) {
      const { id } = value as { id: string };
      if (!APPROVED_IDS.has(id)) problems.push(`shows comment ${id}, which is not approved`);
      // Only the blog's own seeded reply carries the badge: no request can give it to another comment.
      const fields = id === "seed-blog" ? `${PUBLIC_FIELDS},byBlog`.split(",").sort().join() : PUBLIC_FIELDS;
      if (keys.sort().join() !== fields) problems.push(`a comment with fields ${keys.join()}`);
      problems.push(...contentProblems((value as { content?: MarkupNode[] }).content ?? []).map((p) => `comment ${id} has ${p}`));
    }
    Object.values(value).forEach(walk);
  };
  walk(parsed);
  return problems;
}

/** A submission may write exactly its own new record, which must be a valid pending comment. */
export async function submissionWriteProblems(sent: Sent): Promise<string[]> {
  if (sent.writes.length === 0) return [];
  const { status } = sent.response;
  const isSubmission = sent.request.method === "POST" && new URL(sent.request.url).pathname === "/api/comments";
  if (!isSubmission || (status !== 202 && status !== 303)) return [`status ${status} but wrote ${sent.writes.join()}`];
  const [key] = sent.writes;
  if (sent.writes.length !== 1 || !key?.startsWith("v1:comment:")) return [`a submission wrote ${sent.writes.join()}`];
  const id = key.slice("v1:comment:".length);
  if (status === 202 && (JSON.parse(sent.text) as { id: string }).id !== id) return ["stored under another id than it answered"];
  const { value, metadata } = await env.COMMENTS.getWithMetadata<{ post: string; status: "pending" }>(key, "json");
  const record = value as AdminComment;
  const problems = recordProblems(id, record, metadata as CommentMeta | null);
  if (record.status !== "pending" || record.moderatedAt !== null) problems.push(`a submission stored as ${record.status}`);
  // A record may hold an imported comment's longer body (IMPORT_BODY_MAX); a reader's own is held to BODY_MAX.
  if (record.body.length > BODY_MAX) problems.push(`a submission stored a body of ${record.body.length} characters`);
  if ("byBlog" in record || "format" in record) problems.push("a submission set a moderator-only field (byBlog, format)");
  return problems;
}

/** The seeded records are still there, unchanged, and the published data is derived from the records. */
export async function storeProblems(): Promise<string[]> {
  const store = await readStore();
  const problems = consistencyProblems(store);
  for (const c of SEED_COMMENTS) {
    if (JSON.stringify(store.records.get(c.id)) !== JSON.stringify(seeded.records.get(c.id))) problems.push(`seeded ${c.id} changed`);
  }
  return problems;
}

/** Responses by status (and how many wrote to KV) in the current property, printed after it. */
let statuses: Record<string, number> = {};

export async function check(property: fc.IAsyncProperty<[FuzzRequest]>, numRuns: number): Promise<void> {
  statuses = {};
  await fc.assert(property, { seed: SEED, numRuns, endOnFailure: true });
  console.log(`${expect.getState().currentTestName}: ${numRuns} requests, by status ${JSON.stringify(statuses)}`);
}

export const clientIp = fc.oneof(fc.ipV4(), fc.ipV6(), headerValue);

/** A request with optional content type, origin, client IP and junk headers. */
export const request = (paths: fc.Arbitrary<string>, methods: fc.Arbitrary<string> = method): fc.Arbitrary<FuzzRequest> =>
  fc.record({ method: methods, path: paths, query, type: fc.option(contentType, { nil: undefined }), origin, ip: clientIp, extra: extraHeaders, body })
    .map(({ method, path, query, type, origin, ip, extra, body }) => {
      const headers: Record<string, string> = { ...extra, "cf-connecting-ip": ip };
      if (type !== undefined) headers["content-type"] = type;
      if (origin !== undefined) headers.origin = origin;
      return { method, target: path + query, headers, body };
    });

