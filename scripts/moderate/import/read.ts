// Reads an import file and tells its format from the content, not the name: gzip is undone first (Disqus,
// Remark42 and Commento export gzipped), then SQLite (Isso), XML (WordPress, Disqus), JSON lines (Remark42) and
// JSON (Waline, Commento/Comentario, Artalk, our own export); a folder is Staticman's. `--format` names it instead.
import { readFileSync, statSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import type { ImportComment } from "../api.ts";
import { isArtrans, parseArtalk } from "./artalk.ts";
import { commentoVersion, parseCommento } from "./commento.ts";
import { isDisqus, parseDisqus } from "./disqus.ts";
import { isSqlite, parseIsso } from "./isso.ts";
import type { ParsedSource } from "./record.ts";
import { isRemark42, parseRemark42 } from "./remark42.ts";
import { parseStaticman } from "./staticman.ts";
import { isWaline, parseWaline } from "./waline.ts";
import { isWxr, parseWxr } from "./wxr.ts";

export const FORMATS = ["wxr", "disqus", "isso", "remark42", "commento", "comentario", "artalk", "waline", "staticman", "json"] as const;
export type FormatName = (typeof FORMATS)[number];

/** A file from another system (to map and plan), or our own export (sent as it is: it is already our records). */
export type LoadedFile =
  | { kind: "source"; format: FormatName; parsed: ParsedSource }
  | { kind: "export"; format: "json"; comments: ImportComment[] };

/** A file that cannot be imported; the message names the problem (the caller names the file). */
export class ImportFileError extends Error {}

/** Reads `path` as `format`, or as the format its content shows. Throws ImportFileError on anything unreadable. */
export function readImportFile(path: string, format?: FormatName): LoadedFile {
  let folder: boolean;
  try {
    folder = statSync(path).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImportFileError(code === "ENOENT" ? "no such file" : (code ?? (error as Error).message));
  }
  try {
    if (folder || format === "staticman") {
      if (!folder) throw new Error("a Staticman import is a folder of comment files");
      return { kind: "source", format: "staticman", parsed: parseStaticman(path) };
    }
    let bytes: Uint8Array = readFileSync(path);
    if (isSqlite(bytes) || format === "isso") return { kind: "source", format: "isso", parsed: parseIsso(path) };
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        bytes = gunzipSync(bytes);
      } catch (error) {
        throw new Error(`a damaged or truncated gzip file (${(error as Error).message})`);
      }
    }
    const text = Buffer.from(bytes).toString("utf8").replace(/^\uFEFF/, "");
    return readText(text, format);
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError((error as Error).message);
  }
}

function readText(text: string, format: FormatName | undefined): LoadedFile {
  const source = (name: FormatName, parse: () => ParsedSource): LoadedFile => ({ kind: "source", format: name, parsed: parse() });
  const xml = text.trimStart().startsWith("<");
  if (format === "wxr" || (!format && xml && isWxr(text))) return source("wxr", () => parseWxr(text));
  if (format === "disqus" || (!format && xml && isDisqus(text))) return source("disqus", () => parseDisqus(text));
  if (!format && xml) throw new Error("an XML file that is neither a WordPress export (WXR) nor a Disqus export");
  if (format === "remark42" || (!format && isRemark42(text))) return source("remark42", () => parseRemark42(text));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON, XML, SQLite or a Remark42 backup (${(error as Error).message})`);
  }
  if (format === "waline" || (!format && isWaline(data))) return source("waline", () => parseWaline(object(data)));
  if (format === "commento" || format === "comentario" || (!format && commentoVersion(data) !== null)) {
    return source(commentoVersion(data) === 3 ? "comentario" : "commento", () => parseCommento(object(data)));
  }
  if (format === "artalk" || (!format && isArtrans(data))) {
    if (!isArtrans(data)) throw new Error("not an Artrans file (a JSON array of comments with page_key)");
    return source("artalk", () => parseArtalk(data));
  }
  return { kind: "export", format: "json", comments: ownExport(data) };
}

// `export` writes `{ comments, audit }`; an older export is the bare array. The audit log is a record of what
// happened here, so it is never imported.
function ownExport(data: unknown): ImportComment[] {
  const comments = data !== null && typeof data === "object" && !Array.isArray(data) ? (data as { comments?: unknown }).comments : data;
  if (!Array.isArray(comments) || !comments.every((item) => item !== null && typeof item === "object" && !Array.isArray(item))) {
    throw new Error("not an export this command reads (JSON of another comment system, or what `export` writes)");
  }
  return comments as ImportComment[];
}

function object(data: unknown): Record<string, unknown> {
  if (data === null || typeof data !== "object" || Array.isArray(data)) throw new Error("the JSON is not an object");
  return data as Record<string, unknown>;
}
