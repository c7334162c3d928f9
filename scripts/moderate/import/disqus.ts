// Disqus's export (Admin → Community → Export: an XML file, emailed gzipped). `<thread dsq:id>` elements give each
// thread's `id` (the disqus_identifier, often empty), `link` and `title`; `<post dsq:id>` elements reference their
// thread and parent by `dsq:id` and may come before them. Disqus has no pending state: a post is approved unless
// `isSpam` or `isDeleted`. `message` is HTML. `ipAddress` is never read.
// Time zone: `createdAt` is UTC with a `Z` ("2013-01-05T10:00:00Z"); a time without a zone is read as UTC too.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { checkRecord, type ImportRecord, type ParsedSource, str, strOrNull, toUtc } from "./record.ts";

interface DisqusRef { "@_dsq:id"?: string }
interface DisqusThread extends DisqusRef { id?: unknown; link?: unknown; title?: unknown }
interface DisqusPost extends DisqusRef {
  message?: unknown;
  createdAt?: unknown;
  isDeleted?: unknown;
  isSpam?: unknown;
  author?: { name?: unknown; email?: unknown; username?: unknown };
  thread?: DisqusRef;
  parent?: DisqusRef;
}

/** True when the text is a Disqus export. */
export function isDisqus(text: string): boolean {
  return /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<disqus\b/.test(text.replace(/^\uFEFF/, ""));
}

export function parseDisqus(xml: string): ParsedSource {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`bad XML at line ${valid.err.line}: ${valid.err.msg}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    parseTagValue: false,
    removeNSPrefix: false,
    isArray: (_name, path) => path === "disqus.thread" || path === "disqus.post",
  });
  const doc = parser.parse(xml) as { disqus?: { thread?: DisqusThread[]; post?: DisqusPost[] } };
  if (!doc.disqus) throw new Error("not a Disqus export: no <disqus> root");
  const threads = new Map<string, DisqusThread>();
  for (const thread of doc.disqus.thread ?? []) threads.set(str(thread["@_dsq:id"]), thread);
  const records: ImportRecord[] = [];
  for (const [index, post] of (doc.disqus.post ?? []).entries()) {
    const where = `post ${index + 1}${post["@_dsq:id"] ? ` (dsq:id ${post["@_dsq:id"]})` : ""}`;
    const threadId = str(post.thread?.["@_dsq:id"]);
    const thread = threads.get(threadId);
    if (!thread) throw new Error(`${where}: its thread ${threadId || "(none)"} is not in the file`);
    // An empty disqus_identifier is common: the thread is then known by its link (Isso dropped these whole).
    const link = strOrNull(thread.link);
    records.push(checkRecord({
      source: "disqus",
      sourceId: str(post["@_dsq:id"]),
      parentSourceId: strOrNull(post.parent?.["@_dsq:id"]),
      thread: { key: str(thread.id) || link || threadId, url: link, title: strOrNull(thread.title) },
      author: str(post.author?.name) || str(post.author?.username),
      email: strOrNull(post.author?.email),
      emailHash: null,
      website: null,
      createdAt: toUtc(str(post.createdAt)),
      body: typeof post.message === "string" ? post.message : str(post.message),
      format: "html",
      status: flag(post.isSpam) ? "spam" : flag(post.isDeleted) ? "deleted" : "approved",
    }, where));
  }
  return { source: "disqus", records, notComments: 0 };
}

function flag(value: unknown): boolean {
  return str(value).toLowerCase() === "true";
}
