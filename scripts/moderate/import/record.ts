// The neutral record every source's parser produces: one per comment, whatever system it came from. Parsers only
// read their format into this shape; what happens next (URL mapping, ids, parents, placeholders, limits) is the one
// shared pipeline's job (plan.ts), so every source gets the same guarantees.
import * as v from "valibot";

export const SOURCES = ["wordpress", "disqus", "isso", "remark42", "commento", "comentario", "artalk", "waline", "staticman"] as const;
export type Source = (typeof SOURCES)[number];

/** What the source said about a comment. Spam and deleted ones are read (to count them and keep their replies' place). */
export const SOURCE_STATUSES = ["approved", "pending", "spam", "deleted"] as const;
export type SourceStatus = (typeof SOURCE_STATUSES)[number];

const text = v.pipe(v.string(), v.trim());
const optional = v.nullable(text);

export const ImportRecordSchema = v.object({
  source: v.picklist(SOURCES),
  /** The comment's id in its source: with `source`, the key that makes an import idempotent. */
  sourceId: v.pipe(text, v.nonEmpty("a comment has no id")),
  /** The id (in the source) of the comment this one replies to; null at the top level. */
  parentSourceId: optional,
  /** The thread: the source's key (Disqus identifier, Isso URI, WordPress slug...), its URL or path, and title. */
  thread: v.object({ key: text, url: optional, title: optional }),
  author: text,
  email: optional,
  /** When the source keeps only a hash of the address (Staticman's md5): kept for reference, never imported. */
  emailHash: optional,
  website: optional,
  /** Always UTC, `Z`: each parser applies its source's time-zone rule (see its comment) before this point. */
  createdAt: v.pipe(v.string(), v.isoTimestamp("the time is not an ISO time"), v.endsWith("Z", "the time is not in UTC")),
  body: v.string(),
  /** HTML is rendered by the WordPress tag mapping, Markdown by the comment Markdown: the two safe paths. */
  format: v.picklist(["html", "markdown"]),
  status: v.picklist(SOURCE_STATUSES),
  /** Written by the site's own author (WordPress's bypostauthor): shown with the Author badge. */
  byBlog: v.optional(v.boolean()),
});
export type ImportRecord = v.InferOutput<typeof ImportRecordSchema>;

/** What a parser returns: the records, and what it read but could not use (no id, no date, no text). */
export interface ParsedSource {
  source: Source;
  records: ImportRecord[];
  /** Entries that are not comments at all (pingbacks): left out and counted. */
  notComments: number;
}

/** Checks one parsed record; the error names the entry so the file can be fixed. */
export function checkRecord(input: unknown, where: string): ImportRecord {
  const result = v.safeParse(ImportRecordSchema, input);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join(".") ?? "";
  throw new Error(`${where}: ${path ? `${path}: ` : ""}${issue.message}`);
}

/**
 * A time as UTC ISO, from the forms sources write: epoch seconds (or milliseconds), ISO 8601 with `Z` or an
 * offset, "YYYY-MM-DD HH:MM:SS -0700" (Go's layout, Artalk), and a zone-less time, read as UTC (each parser's
 * comment says why that is right for its source). Null when it is no time at all.
 */
export function toUtc(value: unknown): string | null {
  if (typeof value === "number" && Number.isFinite(value)) return fromMs(value > 1e11 ? value : value * 1000);
  if (typeof value !== "string") return null;
  const s = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(s)) return toUtc(Number(s));
  const go = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?) ?([+-]\d{2}):?(\d{2})$/.exec(s);
  if (go) return fromMs(Date.parse(`${go[1]}T${go[2]}${go[3]}:${go[4]}`));
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (!iso) return null;
  const zone = iso[3] ? iso[3].toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, "$1:$2") : "Z";
  return fromMs(Date.parse(`${iso[1]}T${iso[2] ?? "00:00:00"}${zone}`));
}

function fromMs(ms: number): string | null {
  if (!Number.isFinite(ms)) return null;
  const iso = new Date(ms).toISOString();
  return /^\d{4}-/.test(iso) ? iso : null;
}

/** A string field of a loosely typed object: numbers become text, anything else "". */
export function str(value: unknown): string {
  return typeof value === "string" ? value.trim() : typeof value === "number" || typeof value === "bigint" ? String(value) : "";
}

/** A string field, or null when it is empty. */
export function strOrNull(value: unknown): string | null {
  return str(value) || null;
}
