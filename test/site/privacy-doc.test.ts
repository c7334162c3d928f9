// docs/privacy.md lists every copy of a comment. Its KV rows must name exactly the keys worker/publish/kv-store.ts
// writes, so a new kind of key (or one removed) fails here until the privacy document says what it holds.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SCHEDULES } from "../../worker/schedules.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** Every `v1:<name>` key prefix in a text (a key `v1:comment:<id>` counts as `v1:comment`). */
const kvPrefixes = (text: string) => [...new Set(text.match(/\bv1:[a-z][a-z-]*/g) ?? [])].sort();

/** The code of a TypeScript file without its comments, so only the keys it really uses count. */
const codeOf = (source: string) => source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");

describe("docs/privacy.md", () => {
  it("names exactly the KV key prefixes the worker's KV module defines", () => {
    const defined = kvPrefixes(codeOf(read("worker/publish/kv-store.ts")));
    expect(defined.length).toBeGreaterThan(0);
    expect(kvPrefixes(read("docs/privacy.md"))).toEqual(defined);
  });

  it("has a row for each copy the issue names: ledger, KV, Cache API, static HTML, snapshot, feeds, webhook, exports, browser", () => {
    const rows = read("docs/privacy.md").split("\n").filter((line) => line.startsWith("| **")).map((line) => line.split("|")[1]!.toLowerCase());
    for (const copy of ["ledger", "kv record", "kv thread", "cache api", "static html", "snapshot", "feeds", "webhook", "exports", "browser"]) {
      expect(rows.some((row) => row.includes(copy)), copy).toBe(true);
    }
  });

  it("states the inbox cron's schedule as wrangler.toml has it", () => {
    const crons = /crons\s*=\s*\[([^\]]*)\]/.exec(read("wrangler.toml"))![1]!;
    const inbox = Object.entries(SCHEDULES).find(([, job]) => job === "inbox")![0];
    expect(crons).toContain(`"${inbox}"`);
    expect(read("docs/privacy.md")).toContain(`\`${inbox}\``);
  });
});
