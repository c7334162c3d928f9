// `moderate import <file>`: reads another system's export (or our own), plans the whole import before anything
// is sent (threads mapped, ids derived, parents resolved, every entry checked against the worker's schema), then
// sends it in batches the worker's import endpoint accepts. Each batch is all-or-nothing on the worker's side and
// every id is derived from the source, so a run that stops part-way is completed by running it again.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ImportRefusedError, type AdminClient, type ImportComment } from "./api.ts";
import { CliError, EXIT_FAILED, UsageError } from "./errors.ts";
import { candidateSlugs, type ImportPlan, planImport } from "./import/plan.ts";
import { type FormatName, ImportFileError, type LoadedFile, readImportFile } from "./import/read.ts";
import { readMapFile } from "./import/url-map.ts";
import { buildManifest, listPostFiles, readPost } from "../write-post-manifest.ts";

// The worker's limits (worker/intake/schema.ts MAX_IMPORT_ITEMS, MAX_IMPORT_BYTES), with room to spare for the bytes.
const BATCH_ITEMS = 500;
const BATCH_BYTES = 3 * 1024 * 1024;
const ROOT = join(import.meta.dirname, "..", "..");

export interface ImportOptions {
  format?: FormatName;
  map?: string;
  restoreDeleted?: boolean;
}

/** What an import did (or, in a dry run, would do). `plan` is null for our own export, which is sent as it is. */
export interface ImportReport {
  file: string;
  format: string;
  dryRun: boolean;
  /** Entries sent (or that would be). */
  toSend: number;
  imported: number;
  /** Entries the worker already had: a re-run. */
  duplicates: number;
  /** Entries deleted here that stayed deleted. */
  keptDeleted: number;
  plan: Omit<ImportPlan, "comments" | "problems"> | null;
  /** One line per refused entry or batch. */
  problems: string[];
}

/** A loaded file and its plan: everything is read, mapped and checked before anything is sent. */
export interface PreparedImport {
  file: string;
  loaded: LoadedFile;
  plan: ImportPlan | null;
  comments: ImportComment[];
}

/** Reads the file and the map; an unreadable file is a usage error naming the file and the problem. */
export function loadImport(file: string, options: ImportOptions): { loaded: LoadedFile; rules: ReturnType<typeof readMapFile> } {
  let loaded: LoadedFile;
  try {
    loaded = readImportFile(file, options.format);
  } catch (error) {
    if (error instanceof ImportFileError) throw new UsageError(`Cannot import ${file}: ${error.message}`);
    throw error;
  }
  try {
    return { loaded, rules: options.map ? readMapFile(options.map) : [] };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Plans the import with the posts `exists` confirms; refuses the whole file when any entry would be refused. */
export async function prepareImport(file: string, options: ImportOptions, exists: (slugs: string[]) => Promise<Set<string>>): Promise<PreparedImport> {
  const { loaded, rules } = loadImport(file, options);
  if (loaded.kind === "export") return { file, loaded, plan: null, comments: loaded.comments };
  const posts = await exists([...candidateSlugs(loaded.parsed, rules)]);
  const plan = planImport(loaded.parsed, rules, posts);
  if (plan.problems.length > 0) {
    const shown = plan.problems.slice(0, 20).map((p) => `  ${p}`).join("\n");
    const more = plan.problems.length > 20 ? `\n  … and ${plan.problems.length - 20} more` : "";
    throw new CliError(`Cannot import ${file}: ${plan.problems.length} entries would be refused; nothing was sent.\n${shown}${more}`, EXIT_FAILED);
  }
  return { file, loaded, plan, comments: plan.comments };
}

/** The posts the worker has, of these slugs. */
export async function postsOnWorker(client: AdminClient, slugs: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const slug of slugs) if (/^[a-z0-9][a-z0-9-]{0,199}$/.test(slug) && (await client.postExists(slug))) found.add(slug);
  return found;
}

/** The posts in this checkout (for a dry run without a worker): the manifest the worker is built with. */
export function postsInCheckout(slugs: readonly string[]): Set<string> {
  const generated = join(ROOT, "worker", "posts.generated.json");
  const manifest = existsSync(generated)
    ? (JSON.parse(readFileSync(generated, "utf8")) as { posts: Record<string, unknown> })
    : buildManifest(listPostFiles(join(ROOT, "posts")).map((path) => readPost(path, readFileSync(join(ROOT, path), "utf8"))));
  return new Set(slugs.filter((slug) => Object.hasOwn(manifest.posts, slug)));
}

/** The report of a dry run: what would be sent. */
export function previewImport(prepared: PreparedImport): ImportReport {
  return { ...emptyReport(prepared, true), toSend: prepared.comments.length };
}

/**
 * Sends the planned comments. For another system's file a refused or failed batch stops the run (the earlier
 * batches are in, and a re-run skips them); our own export carries on past a refused batch, as a backup may.
 */
export async function sendImport(client: AdminClient, prepared: PreparedImport, options: ImportOptions): Promise<ImportReport> {
  const report: ImportReport = { ...emptyReport(prepared, false), toSend: prepared.comments.length };
  for (const { start, items } of batches(prepared.comments)) {
    try {
      const result = await client.importComments(items, { restoreDeleted: options.restoreDeleted });
      report.imported += result.imported;
      report.duplicates += result.skipped;
      report.keptDeleted += result.keptDeleted ?? 0;
    } catch (error) {
      if (!(error instanceof ImportRefusedError)) {
        if (report.imported + report.duplicates > 0 && error instanceof Error) {
          error.message += `\n${start} of ${prepared.comments.length} entries were sent before this; run the same command again to finish (what is there is skipped).`;
        }
        throw error;
      }
      report.problems.push(...describeRefusal(error, start, items));
      if (prepared.plan) {
        report.problems.push(`stopped: ${start} of ${prepared.comments.length} entries are in; fix the file and run again (what is there is skipped)`);
        break;
      }
    }
  }
  return report;
}

function emptyReport(prepared: PreparedImport, dryRun: boolean): ImportReport {
  const plan = prepared.plan ? (({ comments: _c, problems: _p, ...rest }) => rest)(prepared.plan) : null;
  return { file: prepared.file, format: prepared.loaded.format, dryRun, toSend: 0, imported: 0, duplicates: 0, keptDeleted: 0, plan, problems: [] };
}

// Batches in plan order, so a parent always reaches the worker before (or with) its replies.
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
