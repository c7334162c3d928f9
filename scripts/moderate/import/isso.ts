// Isso keeps no export: its data is one SQLite file (the `dbpath` of isso.cfg), read here with node:sqlite,
// read-only. `threads(id, uri, title)` and `comments(tid, id, parent, created, mode, text, author, email, website…)`;
// `mode` is 1 accepted, 2 pending, 4 deleted (Isso keeps a deleted comment with replies as a stub). `text` is
// Markdown. `remote_addr`, votes and `notification` are never read.
// Time zone: `created` is a Unix epoch in seconds (a REAL), so it is UTC by definition.
import { DatabaseSync } from "node:sqlite";
import { checkRecord, type ImportRecord, type ParsedSource, str, strOrNull, toUtc } from "./record.ts";

const SQLITE_MAGIC = "SQLite format 3\0";
const MODES: Record<number, ImportRecord["status"]> = { 1: "approved", 2: "pending", 4: "deleted" };

/** True when the bytes are a SQLite database. */
export function isSqlite(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 16)).toString("latin1") === SQLITE_MAGIC;
}

interface IssoRow {
  id: number;
  parent: number | null;
  created: number;
  mode: number;
  text: string | null;
  author: string | null;
  email: string | null;
  website: string | null;
  uri: string;
  title: string | null;
}

export function parseIsso(path: string): ParsedSource {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { readOnly: true });
  } catch (error) {
    throw new Error(`not a readable SQLite database: ${(error as Error).message}`);
  }
  try {
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((row) => String(row.name)));
    if (!tables.has("comments") || !tables.has("threads")) throw new Error("not an Isso database: no comments and threads tables");
    const rows = db.prepare(
      `SELECT c.id, c.parent, c.created, c.mode, c.text, c.author, c.email, c.website, t.uri, t.title
       FROM comments c JOIN threads t ON t.id = c.tid ORDER BY c.id`,
    ).all() as unknown as IssoRow[];
    const records = rows.map((row) => checkRecord({
      source: "isso",
      sourceId: str(row.id),
      parentSourceId: row.parent === null ? null : str(row.parent),
      thread: { key: row.uri, url: row.uri, title: strOrNull(row.title) },
      author: str(row.author),
      email: strOrNull(row.email),
      emailHash: null,
      website: strOrNull(row.website),
      createdAt: toUtc(row.created),
      body: row.text ?? "",
      format: "markdown",
      status: MODES[row.mode] ?? "pending",
    }, `comment ${row.id}`));
    return { source: "isso", records, notComments: 0 };
  } catch (error) {
    if (error instanceof Error && /^(not an|comment )/.test(error.message)) throw error;
    throw new Error(`not an Isso database: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}
