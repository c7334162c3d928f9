// The project's own text (sources, tests, docs, config, fixtures) says what a thing is and why, never which tracker
// entry asked for it: a number means nothing to a reader and goes stale when the tracker moves.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
// Written so that this file does not match itself: "issue" or "issues", then a number.
const TRACKER_REFERENCE = new RegExp("\\bissues?\\s+#?\\d", "i");

/** The 1-based line numbers of `text` that name a tracker entry by number. */
function trackerReferences(text: string): number[] {
  return text.split("\n").flatMap((line, i) => (TRACKER_REFERENCE.test(line) ? [i + 1] : []));
}

/** Every file git tracks or would track (untracked but not ignored), minus the generated lockfile. */
function projectFiles(): string[] {
  const listed = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: ROOT, encoding: "utf8" });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  return listed.stdout.split("\0").filter((path) => path !== "" && path !== "package-lock.json");
}

describe("the project's text", () => {
  it("names no tracker entry by number, in any source, test, doc, config or fixture", () => {
    const found: string[] = [];
    for (const path of projectFiles()) {
      let text: string;
      try {
        text = readFileSync(join(ROOT, path), "utf8");
      } catch {
        continue; // listed but deleted in the working tree
      }
      for (const line of trackerReferences(text)) found.push(`${path}:${line}`);
    }
    expect(found).toEqual([]);
  });

  it("would catch a comment that names one, at the start of a line or inside it", () => {
    const word = "Issue";
    expect(trackerReferences(`const a = 1;\n// ${word} 7, "Site build": the benchmark\n`)).toEqual([2]);
    expect(trackerReferences(`x\ny\n// the desk (${word.toLowerCase()}s 6 and 13)`)).toEqual([3]);
    expect(trackerReferences("// an issue with the cache; issued 3 tokens")).toEqual([]);
  });
});
