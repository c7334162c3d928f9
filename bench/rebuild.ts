// The "Rebuild after an edit" benchmark: Eleventy in watch + incremental mode (how `npm start` previews) on the
// generated site; an author edits one post; we time until that post's page on disk has the edit, and until
// Eleventy reports the rebuild finished. Compared with the full clean build of the same site from this run.
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { spawnGroup, stopGroup } from "../scripts/process-group.ts";
import { onCleanup } from "./cleanup.ts";
import { median, round, scratchDir } from "./measure.ts";
import { buildEnv, eleventyArgs, type SiteCopy } from "./site-copy.ts";

export interface RebuildResult {
  posts: number;
  edits: number;
  pageWrittenMs: number;
  rebuildDoneMs: number;
  fullBuildMs: number;
  ratio: number;
  pageWrittenRunsMs: number[];
  lastRebuildLine: string;
}

const STARTUP_TIMEOUT_MS = 180_000;
const EDIT_TIMEOUT_MS = 30_000;
/** Eleventy prints "Watching…" before its file watcher has finished scanning; an edit before that is missed. */
const WATCHER_SETTLE_MS = 1_500;

async function waitFor(condition: () => boolean, timeoutMs: number, what: () => string, pollMs = 5): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await sleep(pollMs);
  }
}

export async function benchRebuild(copy: SiteCopy, edits: number, fullBuildMs: number, log: (line: string) => void): Promise<RebuildResult> {
  const output = scratchDir("watch-out");
  const { child, output: printed } = spawnGroup(process.execPath, eleventyArgs(copy, output, ["--watch", "--incremental"]), {
    cwd: copy.dir,
    env: buildEnv(copy.dir),
  });
  const stop = onCleanup(() => stopGroup(child));
  const wrote = () => printed().match(/Wrote \d+ files?[^\n]*/g) ?? [];
  try {
    await waitFor(() => printed().includes("Watching") || child.exitCode !== null, STARTUP_TIMEOUT_MS, () => `eleventy --watch to start:\n${printed()}`, 50);
    if (child.exitCode !== null) throw new Error(`eleventy --watch exited:\n${printed()}`);
    await sleep(WATCHER_SETTLE_MS);
    const pageMs: number[] = [];
    const doneMs: number[] = [];
    for (let i = 0; i < edits; i++) {
      // A different post each time, spread over the site.
      const slug = copy.slugs[(i * 397 + 11) % copy.slugs.length]!;
      const page = join(output, "posts", slug, "index.html");
      const marker = `Edited for the benchmark, round ${i + 1}.`;
      const rebuildsBefore = wrote().length;
      const started = performance.now();
      appendFileSync(join(copy.dir, "posts", `${slug}.md`), `\n${marker}\n`);
      await waitFor(() => existsSync(page) && readFileSync(page, "utf8").includes(marker), EDIT_TIMEOUT_MS, () => `${page} to change; eleventy said:\n${printed().slice(-2000)}`);
      pageMs.push(performance.now() - started);
      await waitFor(() => wrote().length > rebuildsBefore, EDIT_TIMEOUT_MS, () => `eleventy to finish the rebuild:\n${printed().slice(-2000)}`);
      doneMs.push(performance.now() - started);
      log(`  rebuild edit ${i + 1}/${edits}: page written after ${Math.round(pageMs.at(-1)!)} ms, rebuild done after ${Math.round(doneMs.at(-1)!)} ms`);
      // Let the watcher settle so the next edit starts a rebuild of its own.
      await sleep(300);
    }
    const pageWrittenMs = median(pageMs);
    return {
      posts: copy.slugs.length,
      edits,
      pageWrittenMs: round(pageWrittenMs, 0),
      rebuildDoneMs: round(median(doneMs), 0),
      fullBuildMs: round(fullBuildMs, 0),
      ratio: round(pageWrittenMs / fullBuildMs),
      pageWrittenRunsMs: pageMs.map((ms) => round(ms, 0)),
      lastRebuildLine: wrote().at(-1) ?? "",
    };
  } finally {
    await stop();
  }
}
