// Commento's export (Dashboard → Danger zone → Export: gzipped JSON `{version:1, comments, commenters}`) and
// Comentario's (v3 `{version:3, pages, comments, commenters}`); Comentario also reads and writes the v1 form.
// Commento: `commentHex`, `url` (a path), `commenterHex` ("anonymous" for guests), `markdown`, `parentHex` ("root"
// at the top), `state` (approved, unapproved, flagged) and `deleted`. Comentario v3: `id`, `parentId`, `pageId`,
// `markdown`, `isApproved`, `isPending`, `isDeleted`, `userCreated`. Commenters give name, email and link; the list
// can hold the same commenter twice (the first wins). Bodies are Markdown. Remark42's Commento import ignored
// `state` and published unapproved comments: here unapproved stays pending and flagged is spam.
// Time zone: `creationDate` / `createdTime` are RFC 3339 as Go writes them (UTC `Z`, or an offset), made UTC.
import { checkRecord, type ImportRecord, type ParsedSource, str, strOrNull, toUtc } from "./record.ts";

type Json = Record<string, unknown>;
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter((x): x is Json => x !== null && typeof x === "object") : []);

/** The version of a Commento or Comentario export, or null when the JSON is neither. */
export function commentoVersion(data: unknown): number | null {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return null;
  const d = data as Json;
  if (!("version" in d) || !Array.isArray(d.comments) || !("commenters" in d || "pages" in d)) return null;
  return typeof d.version === "number" ? d.version : -1;
}

export function parseCommento(data: Json): ParsedSource {
  const version = commentoVersion(data);
  if (version === 1) return parseV1(data);
  if (version === 3) return parseV3(data);
  throw new Error(`unsupported Commento/Comentario export version ${JSON.stringify(data.version)} (this reads 1 and 3)`);
}

function people(data: Json, idKey: string): Map<string, Json> {
  const byId = new Map<string, Json>();
  for (const person of list(data.commenters)) if (!byId.has(str(person[idKey]))) byId.set(str(person[idKey]), person);
  return byId;
}

function parseV1(data: Json): ParsedSource {
  const commenters = people(data, "commenterHex");
  const records: ImportRecord[] = list(data.comments).map((c, index) => {
    const who = commenters.get(str(c.commenterHex));
    const state = str(c.state);
    const parent = str(c.parentHex);
    return checkRecord({
      source: "commento",
      sourceId: str(c.commentHex),
      parentSourceId: parent === "" || parent === "root" ? null : parent,
      thread: { key: str(c.url), url: strOrNull(c.url), title: null },
      author: str(who?.name) || (str(c.commenterHex) === "anonymous" ? "Anonymous" : ""),
      email: strOrNull(who?.email),
      emailHash: null,
      website: link(who?.link),
      createdAt: toUtc(c.creationDate),
      body: str(c.markdown),
      format: "markdown",
      status: c.deleted === true ? "deleted" : state === "flagged" ? "spam" : state === "approved" ? "approved" : "pending",
    }, `comment ${index + 1}`);
  });
  return { source: "commento", records, notComments: 0 };
}

function parseV3(data: Json): ParsedSource {
  const pages = new Map(list(data.pages).map((page) => [str(page.id), page]));
  const commenters = people(data, "id");
  const records: ImportRecord[] = list(data.comments).map((c, index) => {
    const page = pages.get(str(c.pageId));
    const who = commenters.get(str(c.userCreated));
    const path = str(page?.path);
    return checkRecord({
      source: "comentario",
      sourceId: str(c.id),
      parentSourceId: strOrNull(c.parentId),
      thread: { key: path || str(c.pageId), url: path || null, title: strOrNull(page?.title) },
      author: str(who?.name) || str(c.authorName) || "Anonymous",
      email: strOrNull(who?.email),
      emailHash: null,
      website: link(who?.websiteUrl),
      createdAt: toUtc(c.createdTime),
      body: str(c.markdown),
      format: "markdown",
      status: c.isDeleted === true ? "deleted" : c.isPending === true ? "pending" : c.isApproved === false ? "spam" : "approved",
    }, `comment ${index + 1}`);
  });
  return { source: "comentario", records, notComments: 0 };
}

// Commento writes "undefined" for a commenter with no link.
function link(value: unknown): string | null {
  const url = str(value);
  return url === "" || url === "undefined" ? null : url;
}
