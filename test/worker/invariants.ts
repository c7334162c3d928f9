// What must hold of the store whatever a client sent and whatever failed, shared by the fuzz and fault
// tests. `readStore` reads every key; the checks return sentences (empty = fine), so a failure names every problem.
import { env } from "cloudflare:workers";
import { ledgerOf } from "../../worker/http/context.ts";
import { listPosts } from "../../worker/intake/posts.ts";
import { IMPORT_BODY_MAX, ImportItemSchema, validate } from "../../worker/intake/schema.ts";
import type { AdminComment, CommentMeta, PublicComment } from "../../worker/publish/kv-store.ts";
import { buildThread, textRevision } from "../../worker/publish/thread.ts";
import { CONTENT_TAGS, type MarkupNode } from "../../client/markup.ts";
import { renderContent } from "../../worker/render/content.ts";

export interface StoreSnapshot {
  /** The ledger's live records: the truth about every comment. */
  records: Map<string, AdminComment>;
  /** The submissions in KV, as the public POST (or a v1 namespace) wrote them. */
  submissions: Map<string, AdminComment>;
  meta: Map<string, CommentMeta | null>;
  threads: Map<string, PublicComment[]>;
  counts: Record<string, number> | null;
  /** Every key as `value + metadata`, to compare whole stores. */
  raw: Map<string, string>;
  /** Keys no part of the model explains. */
  strays: string[];
}

const RECORD_KEYS = ["author", "body", "createdAt", "email", "id", "moderatedAt", "parentId", "post", "status", "website"];
const OPTIONAL_RECORD_KEYS = ["format", "byBlog"];
const PUBLIC_KEYS = "author,body,content,createdAt,id,parentId,revision,website";
const CONTENT_ATTRIBUTES: Record<string, string[]> = { a: ["href", "rel"], abbr: ["title"], ol: ["start"] };
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const CONTROL_EXCEPT_NEWLINE_TAB = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const SLUGS = new Set(listPosts().map((p) => p.slug));

/** Reads every key of the namespace (values as text, bulk gets of 100) and every record of the ledger. */
export async function readStore(ns: KVNamespace = env.COMMENTS): Promise<StoreSnapshot> {
  const keys: KVNamespaceListKey<unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page = await ns.list({ cursor });
    keys.push(...page.keys);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  const values = new Map<string, string | null>();
  for (let i = 0; i < keys.length; i += 100) {
    const found = await ns.get(keys.slice(i, i + 100).map((k) => k.name), "text");
    for (const [name, value] of found) values.set(name, value);
  }
  const ledger = await ledgerOf(env).exportPage(null, 1_000_000);
  const snapshot: StoreSnapshot = {
    records: new Map(ledger.map((record) => [record.id, record])),
    submissions: new Map(), meta: new Map(), threads: new Map(), counts: null, raw: new Map(), strays: [],
  };
  for (const key of keys) {
    const value = values.get(key.name) ?? "";
    snapshot.raw.set(key.name, `${value} ${JSON.stringify(key.metadata ?? null)}`);
    if (key.name.startsWith("v1:comment:")) {
      const id = key.name.slice("v1:comment:".length);
      snapshot.submissions.set(id, JSON.parse(value) as AdminComment);
      snapshot.meta.set(id, (key.metadata as CommentMeta | undefined) ?? null);
    } else if (key.name.startsWith("v1:thread:")) {
      snapshot.threads.set(key.name.slice("v1:thread:".length), JSON.parse(value) as PublicComment[]);
    } else if (key.name === "v1:counts") {
      snapshot.counts = JSON.parse(value) as Record<string, number>;
    } else if (!key.name.startsWith("v1:inbox:")) {
      snapshot.strays.push(key.name);
    }
  }
  return snapshot;
}

/**
 * Problems with one stored record (in the ledger, or a submission in KV with its metadata): it must be a valid,
 * already-normalised comment (a fixed point of the import schema).
 */
export function recordProblems(key: string, record: AdminComment, meta: CommentMeta | null | undefined): string[] {
  const problems: string[] = [];
  const say = (text: string) => problems.push(`${key}: ${text}`);
  const keys = Object.keys(record).filter((key) => !OPTIONAL_RECORD_KEYS.includes(key)).sort();
  if (keys.join() !== RECORD_KEYS.join()) say(`fields ${Object.keys(record).sort().join()}`);
  if (record.format !== undefined && record.format !== "markdown" && record.format !== "html") say(`format ${JSON.stringify(record.format)}`);
  if (record.byBlog !== undefined && typeof record.byBlog !== "boolean") say(`byBlog ${JSON.stringify(record.byBlog)}`);
  if (record.id !== key) say(`id ${JSON.stringify(record.id)} differs from its key`);
  if (!SLUGS.has(record.post)) say(`post ${JSON.stringify(record.post)} is not published`);
  if (typeof record.author !== "string" || record.author !== record.author.trim() || record.author === "" || record.author.length > 100
    || CONTROL.test(record.author) || !record.author.isWellFormed()) say(`author ${JSON.stringify(record.author)}`);
  if (typeof record.body !== "string" || record.body !== record.body.trim() || record.body === "" || record.body.length > IMPORT_BODY_MAX
    || record.body.includes("\r") || CONTROL_EXCEPT_NEWLINE_TAB.test(record.body) || !record.body.isWellFormed()) say(`body ${JSON.stringify(record.body.slice(0, 80))}`);
  if (record.email !== null && (typeof record.email !== "string" || !/^[^\s@]+@[^\s@]+$/.test(record.email) || record.email.length > 254)) say(`email ${JSON.stringify(record.email)}`);
  if (record.website !== null && (typeof record.website !== "string" || !/^https?:\/\/\S+$/i.test(record.website) || record.website.length > 200)) say(`website ${JSON.stringify(record.website)}`);
  if (!ISO_INSTANT.test(record.createdAt)) say(`createdAt ${JSON.stringify(record.createdAt)}`);
  if (!["pending", "approved", "rejected", "spam"].includes(record.status)) say(`status ${JSON.stringify(record.status)}`);
  if (record.moderatedAt !== null && !ISO_INSTANT.test(record.moderatedAt)) say(`moderatedAt ${JSON.stringify(record.moderatedAt)}`);
  if (record.parentId !== null && !/^[A-Za-z0-9_-]{1,64}$/.test(record.parentId)) say(`parentId ${JSON.stringify(record.parentId)}`);
  if (meta !== undefined && (!meta || meta.post !== record.post || meta.status !== record.status)) say(`metadata ${JSON.stringify(meta)} does not match the record`);
  // What an export writes must import again unchanged, or a backup could not be restored.
  const again = validate(ImportItemSchema, record);
  if (!again.ok) say(`does not import again: ${JSON.stringify(again.fields)}`);
  else if (JSON.stringify(again.value, [...RECORD_KEYS, ...OPTIONAL_RECORD_KEYS]) !== JSON.stringify(record, [...RECORD_KEYS, ...OPTIONAL_RECORD_KEYS])) say("changes when imported again");
  return problems;
}

/**
 * Safety, which must hold even right after a fault: every record is valid, and every published comment is an
 * existing approved record of that post, shown with exactly its public fields.
 */
export function safetyProblems(store: StoreSnapshot): string[] {
  const problems = store.strays.map((key) => `unexpected key ${key}`);
  for (const [id, record] of store.records) problems.push(...recordProblems(id, record, undefined));
  for (const [id, record] of store.submissions) problems.push(...recordProblems(id, record, store.meta.get(id) ?? null).map((p) => `KV ${p}`));
  for (const [post, thread] of store.threads) {
    if (!SLUGS.has(post)) problems.push(`a thread for unknown post ${post}`);
    for (const shown of thread) {
      const record = store.records.get(shown.id);
      if (!record) problems.push(`thread ${post} shows ${shown.id}, which has no record`);
      else if (record.status !== "approved") problems.push(`thread ${post} shows ${shown.id}, which is ${record.status}`);
      else if (record.post !== post) problems.push(`thread ${post} shows ${shown.id} of post ${record.post}`);
      else if (Object.keys(shown).sort().join() !== (record.byBlog ? `${PUBLIC_KEYS},byBlog`.split(",").sort().join() : PUBLIC_KEYS)
        || shown.author !== record.author || shown.body !== record.body || shown.website !== record.website
        || shown.revision !== textRevision(record.body)
        || JSON.stringify(shown.content) !== JSON.stringify(renderContent(record.body, record.format))) {
        problems.push(`thread ${post} shows ${shown.id} differently from its record`);
      } else problems.push(...contentProblems(shown.content ?? []).map((p) => `thread ${post} shows ${shown.id} with ${p}`));
    }
  }
  return problems;
}

/** What in a published content tree is outside the allow-list (tags, attributes, links other than http(s)). */
export function contentProblems(nodes: readonly MarkupNode[]): string[] {
  return nodes.flatMap((node): string[] => {
    if (typeof node === "string") return [];
    const problems = CONTENT_TAGS.includes(node.tag) ? [] : [`the tag ${node.tag}`];
    for (const [name, value] of Object.entries(node.attrs)) {
      if (!(CONTENT_ATTRIBUTES[node.tag] ?? []).includes(name)) problems.push(`the attribute ${name} on ${node.tag}`);
      else if (name === "href" && !/^https?:\/\//.test(value)) problems.push(`a link to ${value}`);
    }
    return [...problems, ...contentProblems(node.children)];
  });
}

/** Consistency, which must hold when nothing failed: published threads and counts are exactly derived from the ledger. */
export function consistencyProblems(store: StoreSnapshot): string[] {
  const problems = safetyProblems(store);
  const records = [...store.records.values()];
  for (const slug of SLUGS) {
    const expected = JSON.stringify(buildThread(records, slug));
    if (JSON.stringify(store.threads.get(slug) ?? []) !== expected) problems.push(`thread ${slug} is not derived from the records`);
    if ((store.counts?.[slug] ?? 0) !== (store.threads.get(slug) ?? []).length) problems.push(`count of ${slug} is ${store.counts?.[slug]}`);
  }
  return problems;
}
