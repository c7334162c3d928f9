// Which post an old thread belongs to. Old URLs are normalised (scheme, host, query string, fragment, trailing
// slash and index pages dropped; lower case), then `--map` rules apply, then the post is the one whose slug is the
// last segment of the path. A thread no rule or slug finds is reported with its URL, never guessed.
// Rules (`--map <file>`): `old new` lines as Remark42's remapper reads them, where a trailing `*` on both maps a
// prefix (`https://old.example/blog/* /posts/*`), and Disqus URL-mapper CSV rows (`old,new`). `#` starts a comment.
import { readFileSync } from "node:fs";

export interface MapRule {
  from: string;
  to: string;
  prefix: boolean;
}

/** A URL or path as a comparable path: "/blog/2012/my-post" from "https://www.old.example/blog/2012/my-post/?p=1#c". */
export function normaliseUrl(url: string): string {
  let path: string;
  try {
    path = new URL(url.trim(), "http://relative.invalid").pathname;
  } catch {
    path = url.trim().replace(/[?#].*$/, "");
  }
  try {
    path = decodeURIComponent(path);
  } catch {
    // A malformed escape: compare it as written.
  }
  return path.toLowerCase().replace(/\/index\.(?:html?|php)$/, "").replace(/\/+$/, "") || "/";
}

/** The last segment of a normalised path, less a page extension (Blogger's "my-post.html"): the slug it names. */
export function slugOf(path: string): string {
  return (path.split("/").filter(Boolean).at(-1) ?? "").replace(/\.(?:html?|php|aspx?)$/, "");
}

/** Reads a rules file; a line that is neither form is an error naming the file and the line. */
export function readMapFile(file: string): MapRule[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`Cannot read the map file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseMap(text, file);
}

export function parseMap(text: string, file = "the map"): MapRule[] {
  const rules: MapRule[] = [];
  for (const [index, raw] of text.replace(/^\uFEFF/, "").split(/\r?\n/).entries()) {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (line === "") continue;
    const parts = line.includes(",") ? line.split(",").map((p) => p.trim().replace(/^"(.*)"$/, "$1")) : line.split(/\s+/);
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new Error(`${file} line ${index + 1}: expected "old new" or "old,new", got "${raw.trim()}"`);
    const [from, to] = parts as [string, string];
    const prefix = from.endsWith("*");
    rules.push({ from: normaliseUrl(from.replace(/\*$/, "")), to: to.replace(/\*$/, ""), prefix });
  }
  return rules;
}

/**
 * The slugs a thread may be, in order: the target of the first rule matching its URL (or key) and nothing else;
 * without one, the last segment of its URL, then of its key (WordPress's post name, Isso's URI). The first that
 * is a post wins (plan.ts); `mapped` says a rule chose.
 */
export function threadSlugs(thread: { key: string; url: string | null }, rules: readonly MapRule[]): { slugs: string[]; mapped: boolean } {
  for (const address of [thread.url, thread.key]) {
    if (!address) continue;
    const path = normaliseUrl(address);
    for (const rule of rules) {
      if (rule.prefix ? path.startsWith(rule.from) : path === rule.from) {
        const rest = rule.prefix ? path.slice(rule.from.length) : "";
        return { slugs: [slugOf(normaliseUrl(rule.to + rest))].filter(Boolean), mapped: true };
      }
    }
  }
  const slugs = [thread.url, thread.key].map((address) => (address ? slugOf(normaliseUrl(address)) : "")).filter(Boolean);
  return { slugs: [...new Set(slugs)], mapped: false };
}
