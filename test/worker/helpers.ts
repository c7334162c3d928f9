// Shared test helpers: requests through the real app with real local KV, a moderator token, and per-test
// environment overrides (the app is called as `app.fetch(request, env, ctx)`, like the runtime does).
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import type { MarkupNode } from "../../client/markup.ts";
import { app } from "../../worker/index.ts";

export const BASE = "https://comments.example";
/** In ALLOWED_ORIGINS and SITE_URL (wrangler.toml [vars]). */
export const SITE = "http://localhost:8080";
export const TOKEN = "test-moderator-token-0123456789";
export const POST = "local-leadership-capabilities";
export const OTHER_POST = "system-leadership-matters";

export type Vars = Partial<Record<keyof Env, unknown>>;

/** A random documentation-range IPv6 address, so tests don't share a rate-limit budget. */
export function randomIp(): string {
  const words = Array.from(crypto.getRandomValues(new Uint16Array(4)), (w) => w.toString(16));
  return `2001:db8::${words.join(":")}`;
}

/** Sends a request through the app (moderator token configured), then waits for its after-response work. */
export async function call(path: string, init: RequestInit = {}, vars: Vars = {}, base = BASE): Promise<Response> {
  const ctx = createExecutionContext();
  const testEnv = { ...env, MODERATOR_TOKEN: TOKEN, ...vars } as Env;
  const response = await app.fetch(new Request(base + path, init), testEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

export interface Comment {
  post: string;
  author: string;
  email: string;
  body: string;
  website?: string | null;
  parentId?: string | null;
  [field: string]: unknown;
}

export function validComment(overrides: Partial<Comment> = {}): Comment {
  return { post: POST, author: "Ada Reader", email: "ada@example.org", body: "A thoughtful comment.", ...overrides };
}

export interface SubmitOptions {
  ip?: string;
  origin?: string | null;
  vars?: Vars;
}

function submitHeaders(contentType: string, options: SubmitOptions): Record<string, string> {
  const headers: Record<string, string> = { "content-type": contentType, "cf-connecting-ip": options.ip ?? randomIp() };
  if (options.origin !== null) headers.origin = options.origin ?? SITE;
  return headers;
}

/** Posts a comment as the client script does (JSON from the blog's origin). */
export function submit(fields: unknown, options: SubmitOptions = {}): Promise<Response> {
  return call("/api/comments", {
    method: "POST",
    headers: submitHeaders("application/json", options),
    body: typeof fields === "string" ? fields : JSON.stringify(fields),
  }, options.vars);
}

/** Posts the page's form as a browser without JavaScript does. */
export function submitForm(fields: Record<string, string>, options: SubmitOptions = {}): Promise<Response> {
  return call("/api/comments", {
    method: "POST",
    headers: submitHeaders("application/x-www-form-urlencoded", options),
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  }, options.vars);
}

/** A moderator API call with the token. */
export function admin(path: string, init: RequestInit = {}, vars: Vars = {}): Promise<Response> {
  return call(`/api/admin${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, ...init.headers } }, vars);
}

/** Submits a comment and returns its id. */
export async function createPending(overrides: Partial<Comment> = {}, options: SubmitOptions = {}): Promise<string> {
  const response = await submit(validComment(overrides), options);
  if (response.status !== 202) throw new Error(`submit failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** Submits and approves a comment; returns its id. */
export async function createApproved(overrides: Partial<Comment> = {}): Promise<string> {
  const id = await createPending(overrides);
  const response = await admin(`/comments/${id}/approve`, { method: "POST" });
  if (response.status !== 200) throw new Error(`approve failed: ${response.status}`);
  return id;
}

export interface ThreadBody {
  post: string;
  count: number;
  comments: Array<{ id: string; parentId: string | null; author: string; website: string | null; body: string; content?: MarkupNode[]; createdAt: string; byBlog?: true }>;
}

/** The public thread of a post. */
export async function getThread(post = POST, vars: Vars = {}): Promise<ThreadBody> {
  const response = await call(`/api/comments?post=${post}`, {}, vars);
  if (response.status !== 200) throw new Error(`thread failed: ${response.status}`);
  return response.json();
}

/** Every stored key and value as raw text: for "nothing like this is stored anywhere" assertions. */
export async function dumpKv(): Promise<string> {
  const { keys } = await env.COMMENTS.list();
  const values = await Promise.all(keys.map(async (k) => `${k.name} ${JSON.stringify(k.metadata)} ${await env.COMMENTS.get(k.name)}`));
  return values.join("\n");
}

/** A KV binding that counts operations per kind and records written keys. */
export function countingKv(ns: KVNamespace = env.COMMENTS) {
  const ops = { get: 0, put: 0, delete: 0, list: 0, getWithMetadata: 0, written: [] as string[] };
  const wrapped = new Proxy(ns, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (typeof prop === "string" && prop in ops && prop !== "written") ops[prop as "get"]++;
        if (prop === "put" || prop === "delete") ops.written.push(String(args[0]));
        return value.apply(target, args);
      };
    },
  });
  return { ns: wrapped, ops };
}

/** A KV binding whose every operation fails, as during an outage. */
export function failingKv(): KVNamespace {
  return new Proxy({} as KVNamespace, {
    get: () => () => Promise.reject(new Error("KV is down")),
  });
}

/** A ledger binding whose every call fails, as when the Durable Object cannot be reached. */
export function failingLedger(): DurableObjectNamespace {
  const stub = new Proxy({}, { get: () => () => Promise.reject(new Error("the ledger is unreachable")) });
  return { getByName: () => stub, get: () => stub, idFromName: () => ({}) } as unknown as DurableObjectNamespace;
}
