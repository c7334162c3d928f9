// Waline's export (Dashboard → Import/Export): `{type:"waline", version:1, data:{Comment, Counter, Users}}`. A
// comment has `objectId`, `comment` (Markdown), `insertedAt`, `mail`, `nick`, `link`, `pid` (the parent), `rid`
// (the thread's root), `status` (approved, waiting, spam) and `url` (a path). `ip`, `ua` and `like` are never read.
// Time zone: `insertedAt` is ISO with `Z` from LeanCloud, CloudBase and MongoDB. A SQL-backed Waline writes it
// without a zone; the export does not say which, so a zone-less time is read as UTC (the docs say to check one).
import { checkRecord, type ParsedSource, str, strOrNull, toUtc } from "./record.ts";

type Json = Record<string, unknown>;
const STATUSES: Record<string, "approved" | "pending" | "spam"> = { approved: "approved", waiting: "pending", spam: "spam" };

/** True when the JSON is a Waline export. */
export function isWaline(data: unknown): data is Json {
  return data !== null && typeof data === "object" && (data as Json).type === "waline";
}

export function parseWaline(data: Json): ParsedSource {
  if (data.version !== 1) throw new Error(`unsupported Waline export version ${JSON.stringify(data.version)} (this reads version 1)`);
  const comments = (data.data as Json | undefined)?.Comment;
  if (!Array.isArray(comments)) throw new Error("not a Waline export: no data.Comment list");
  const records = (comments as Json[]).map((c, index) => checkRecord({
    source: "waline",
    sourceId: str(c.objectId),
    parentSourceId: strOrNull(c.pid),
    thread: { key: str(c.url), url: strOrNull(c.url), title: null },
    author: str(c.nick) || "Anonymous",
    email: strOrNull(c.mail),
    emailHash: null,
    website: strOrNull(c.link),
    createdAt: toUtc(c.insertedAt ?? c.createdAt),
    body: str(c.comment),
    format: "markdown",
    status: STATUSES[str(c.status)] ?? "pending",
  }, `comment ${index + 1}${c.objectId ? ` (objectId ${str(c.objectId)})` : ""}`));
  return { source: "waline", records, notComments: 0 };
}
