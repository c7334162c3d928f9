// Staticman comments: files committed to the site's repository, one per comment, YAML (`.yml`/`.yaml`), JSON or
// Markdown with front matter, usually in a folder per post (`_data/comments/<post>/comment-1.yml`). Give the
// folder that holds them. Fields are the site's own; read here: `_id`, `name`, `email` (Staticman stores an md5
// hash: kept as a hash, never imported as an address), `url` or `website`, `message` (Markdown; a front-matter
// file's body when absent), `date`, and the parent as `replying_to_uid`, `replying_to` or `_parent` (when it names
// another comment). The thread is the file's folder, else a `slug`, `post_id` or `_parent` field. Every file that
// is there was approved: Staticman's moderation is the pull request.
// Time zone: `date` is Unix seconds (Staticman's `{@timestamp}`) or ISO; a time without a zone is read as UTC.
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join, relative } from "node:path";
import { parse as parseYaml } from "yaml";
import { checkRecord, type ImportRecord, type ParsedSource, str, strOrNull, toUtc } from "./record.ts";

type Json = Record<string, unknown>;
const EXTENSIONS = new Set([".yml", ".yaml", ".json", ".md", ".markdown"]);
const MD5 = /^[0-9a-f]{32}$/i;

export function parseStaticman(folder: string): ParsedSource {
  const files = (readdirSync(folder, { recursive: true, encoding: "utf8" }) as string[])
    .filter((name) => EXTENSIONS.has(extname(name).toLowerCase()))
    .sort();
  if (files.length === 0) throw new Error("no Staticman comment files (.yml, .yaml, .json, .md) in this folder");
  const entries = files.map((name) => ({ name, data: readEntry(join(folder, name), name) }));
  const ids = new Set(entries.map(({ name, data }) => idOf(name, data)));
  const records: ImportRecord[] = entries.map(({ name, data }) => {
    const parentField = str(data._parent);
    const parent = str(data.replying_to_uid) || str(data.replying_to) || (ids.has(parentField) ? parentField : "");
    const folderName = dirname(name) === "." ? "" : relative(".", dirname(name)).replaceAll("\\", "/");
    const key = folderName || str(data.slug) || str(data.post_id) || (ids.has(parentField) ? "" : parentField);
    const email = str(data.email);
    return checkRecord({
      source: "staticman",
      sourceId: idOf(name, data),
      parentSourceId: parent || null,
      thread: { key, url: key || null, title: strOrNull(data.title) },
      author: str(data.name) || "Anonymous",
      email: email && !MD5.test(email) ? email : null,
      emailHash: MD5.test(email) ? email.toLowerCase() : null,
      website: strOrNull(data.url) ?? strOrNull(data.website),
      createdAt: toUtc(data.date instanceof Date ? data.date.toISOString() : data.date),
      body: str(data.message) || str(data.comment) || str(data.body),
      format: "markdown",
      status: "approved",
    }, name);
  });
  return { source: "staticman", records, notComments: 0 };
}

// A file's `_id`, else its name without extension (Staticman names files after the id by default).
function idOf(name: string, data: Json): string {
  return str(data._id) || basename(name, extname(name));
}

function readEntry(path: string, name: string): Json {
  const text = readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  try {
    if (name.toLowerCase().endsWith(".json")) return object(JSON.parse(text));
    const front = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
    if (front) {
      const data = object(parseYaml(front[1] ?? ""));
      return front[2]?.trim() && !data.message ? { ...data, message: front[2] } : data;
    }
    return object(parseYaml(text));
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message.split("\n")[0]}`);
  }
}

function object(value: unknown): Json {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error("is not a comment (no fields)");
  return value as Json;
}
