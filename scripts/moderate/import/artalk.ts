// Artalk's Artrans (Dashboard → Transfer → Export): a JSON array of objects whose values are all strings: `id`,
// `rid` (the parent, "0" at the top), `content` (Markdown), `is_pending`, `created_at`, `nick`, `email`, `link`,
// `page_key` (a URL or a path), `page_title`. Artrans carries no spam or deleted state. `ip`, `ua` and votes are
// never read.
// Time zone: `created_at` is Go's "2006-01-02 15:04:05 -0700", offset included, converted to UTC; a time without
// an offset is read as UTC.
import { checkRecord, type ParsedSource, str, strOrNull, toUtc } from "./record.ts";

type Json = Record<string, unknown>;

/** True when the JSON is an Artrans array (its entries have `page_key`). */
export function isArtrans(data: unknown): data is Json[] {
  return Array.isArray(data) && data.length > 0 && data.every((x) => x !== null && typeof x === "object" && "page_key" in x);
}

export function parseArtalk(data: Json[]): ParsedSource {
  const records = data.map((c, index) => {
    const parent = str(c.rid);
    return checkRecord({
      source: "artalk",
      sourceId: str(c.id),
      parentSourceId: parent === "" || parent === "0" ? null : parent,
      thread: { key: str(c.page_key), url: strOrNull(c.page_key), title: strOrNull(c.page_title) },
      author: str(c.nick),
      email: strOrNull(c.email),
      emailHash: null,
      website: strOrNull(c.link),
      createdAt: toUtc(c.created_at),
      body: str(c.content),
      format: "markdown",
      status: str(c.is_pending) === "true" ? "pending" : "approved",
    }, `entry ${index + 1}${c.id ? ` (id ${str(c.id)})` : ""}`);
  });
  return { source: "artalk", records, notComments: 0 };
}
