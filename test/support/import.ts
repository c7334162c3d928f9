// Builds the binary import fixtures from their text form (test/fixtures/import/): the Isso SQLite database from its
// SQL, and the gzipped exports Disqus, Remark42 and Commento hand out, so no binary file is committed.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { gzipSync } from "node:zlib";

export const IMPORT_FIXTURES = join(import.meta.dirname, "..", "fixtures", "import");

/** A fresh temporary folder for one test's files. */
export function tempDir(prefix = "import-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `name` into a fresh temporary folder and returns its path. */
export function tempFile(name: string, content: string | Uint8Array): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}

/** The Isso fixture as the SQLite file Isso keeps. */
export function issoDatabase(sql = readFileSync(join(IMPORT_FIXTURES, "isso", "comments.sql"), "utf8")): string {
  const path = join(tempDir("isso-"), "comments.db");
  const db = new DatabaseSync(path);
  db.exec(sql);
  db.close();
  return path;
}

/** A fixture gzipped, as the system exports it. */
export function gzipped(fixture: string, name = "export.gz"): string {
  return tempFile(name, gzipSync(readFileSync(join(IMPORT_FIXTURES, fixture))));
}
