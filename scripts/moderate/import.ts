// `moderate import <file>`: reads a JSON export or a WordPress export (WXR), told apart by content rather than by
// file name, and sends it to the worker in batches its import endpoint accepts. Each batch is all-or-nothing on
// the worker's side, so a refused batch is reported entry by entry and the rest still go.
import { readFileSync } from "node:fs";
import { ImportRefusedError, type AdminClient, type ImportComment } from "./api.ts";
import { UsageError } from "./errors.ts";
import { isWxr, parseWxr, type WxrSkipped } from "./wxr.ts";

// The worker's limits (worker/intake/schema.ts MAX_IMPORT_ITEMS, MAX_IMPORT_BYTES), with room to spare for the bytes.
const BATCH_ITEMS = 500;
const BATCH_BYTES = 3 * 1024 * 1024;

export interface ImportFile {
  format: "json" | "wxr";
  comments: ImportComment[];
  /** What a WXR file held that is not imported; all zero for JSON. */
  skipped: WxrSkipped;
}

export interface ImportReport {
  imported: number;
  /** Entries whose id the worker already had: a re-import. */
  alreadyThere: number;
  /** WXR comments on posts this site does not have (pages, posts not migrated), by slug. */
  unknownPosts: Map<string, number>;
  /** One line per refused entry. */
  problems: string[];
}

/** Loads and converts an import file; a missing or unreadable file is a usage error. */
export function loadImportFile(path: string): ImportFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : (code ?? (error as Error).message);
    throw new UsageError(`Cannot read ${path}: ${reason}`);
  }
  if (isWxr(text)) {
    try {
      return { format: "wxr", ...parseWxr(text) };
    } catch (error) {
      throw new UsageError(`${path} is not a readable WordPress export: ${(error as Error).message}`);
    }
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    throw new UsageError(`${path} is neither JSON nor a WordPress export (WXR)`);
  }
  // Since the desk's audit log, `export` writes `{ comments, audit }`; an older export is the bare array. The audit
  // log is a record of what happened here, so it is never imported.
  if (data !== null && typeof data === "object" && !Array.isArray(data) && Array.isArray((data as { comments?: unknown }).comments)) {
    data = (data as { comments: unknown[] }).comments;
  }
  if (!Array.isArray(data) || !data.every((item) => item !== null && typeof item === "object" && !Array.isArray(item))) {
    throw new UsageError(`${path} is not a JSON export of comments (what \`export\` writes, or an array of comments)`);
  }
  const skipped: WxrSkipped = { pending: 0, spam: 0, trash: 0, pingbacks: 0, invalid: 0, tooLong: 0 };
  return { format: "json", comments: data as ImportComment[], skipped };
}

/**
 * Sends the file's comments to the worker. WordPress comments on posts the site does not have are left out and
 * counted (an old site has pages and unmigrated posts); a JSON backup is sent whole, so the worker names them.
 */
export async function importFile(client: AdminClient, file: ImportFile): Promise<ImportReport> {
  const report: ImportReport = { imported: 0, alreadyThere: 0, unknownPosts: new Map(), problems: [] };
  let comments = file.comments;
  if (file.format === "wxr") {
    const known = new Set<string>();
    for (const slug of new Set(comments.map((comment) => comment.post))) if (await client.postExists(slug)) known.add(slug);
    comments = comments.filter((comment) => {
      if (known.has(comment.post)) return true;
      report.unknownPosts.set(comment.post, (report.unknownPosts.get(comment.post) ?? 0) + 1);
      return false;
    });
  }
  for (const { start, items } of batches(comments)) {
    try {
      const result = await client.importComments(items);
      report.imported += result.imported;
      report.alreadyThere += result.skipped;
    } catch (error) {
      if (!(error instanceof ImportRefusedError)) throw error;
      report.problems.push(...describeRefusal(error, start, items));
    }
  }
  return report;
}

/** "imported 3, 1 already there, skipped 2 pending, 1 spam": the counts, leaving out the zeros. */
export function summariseImport(report: Pick<ImportReport, "imported" | "alreadyThere" | "unknownPosts">, skipped: WxrSkipped, verb = "imported"): string {
  const unknown = [...report.unknownPosts.values()].reduce((sum, n) => sum + n, 0);
  const reasons: [number, string][] = [
    [skipped.pending, "pending"],
    [skipped.spam, "spam"],
    [skipped.trash, "trash"],
    [skipped.pingbacks, skipped.pingbacks === 1 ? "pingback" : "pingbacks"],
    [skipped.invalid, "unreadable"],
    [skipped.tooLong, "over 5000 characters"],
    [unknown, `on posts this site does not have (${[...report.unknownPosts.keys()].join(", ")})`],
  ];
  const parts = reasons.filter(([n]) => n > 0).map(([n, label]) => `${n} ${label}`);
  const already = report.alreadyThere > 0 ? `, ${report.alreadyThere} already there` : "";
  return `${verb} ${report.imported}${already}${parts.length > 0 ? `, skipped ${parts.join(", ")}` : ""}`;
}

// Batches in file order, so a parent always reaches the worker before (or with) its replies.
function* batches(comments: readonly ImportComment[]): Generator<{ start: number; items: ImportComment[] }> {
  let start = 0;
  let items: ImportComment[] = [];
  let bytes = 2;
  for (const [index, comment] of comments.entries()) {
    const size = Buffer.byteLength(JSON.stringify(comment)) + 1;
    if (items.length > 0 && (items.length >= BATCH_ITEMS || bytes + size > BATCH_BYTES)) {
      yield { start, items };
      start = index;
      items = [];
      bytes = 2;
    }
    items.push(comment);
    bytes += size;
  }
  if (items.length > 0) yield { start, items };
}

// The worker names problems as "<index in batch>.<field>"; report them by position in the file and by id.
function describeRefusal(error: ImportRefusedError, start: number, items: readonly ImportComment[]): string[] {
  const range = `entries ${start + 1}-${start + items.length}`;
  const lines = Object.entries(error.fields).map(([path, problem]) => {
    const [index, ...field] = path.split(".");
    const item = items[Number(index)];
    if (item === undefined) return `could not import (${range}): ${path}: ${problem}`;
    const name = item.id ? ` (${item.id})` : "";
    return `could not import entry ${start + Number(index) + 1}${name}: ${field.join(".") || "entry"}: ${problem}`;
  });
  return [...(lines.length > 0 ? lines : [`could not import ${range}: ${error.message}`]), `nothing from ${range} was imported`];
}
