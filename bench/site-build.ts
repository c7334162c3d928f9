// The "Site build" benchmark: a full clean build of the project's real config against N generated posts, next to bare
// Eleventy on the same posts, run alternately (project, baseline, project, …) so drift hits both alike.
// Each build is a fresh `eleventy` process into an empty output folder on tmpfs.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { median, round, runTimed, scratchDir } from "./measure.ts";
import { buildEnv, copyBaseline, copyProject, eleventyArgs, type SiteCopy } from "./site-copy.ts";

export interface BuildSizeResult {
  posts: number;
  runs: number;
  projectMs: number;
  baselineMs: number;
  projectMsPerPost: number;
  baselineMsPerPost: number;
  ratio: number;
  projectPeakRssMiB: number | null;
  baselinePeakRssMiB: number | null;
  projectRunsMs: number[];
  baselineRunsMs: number[];
}

export interface SiteBuildResult {
  sizes: BuildSizeResult[];
  /** Peak RSS growth from the smallest to the largest N, against the growth in posts (linear = 1 or less). */
  memoryGrowth: {
    posts: number;
    project: number | null;
    baseline: number | null;
    projectMiBPer1000Posts: number | null;
    baselineMiBPer1000Posts: number | null;
  } | null;
  /** The project copy of the first size, kept for the rebuild benchmark. */
  firstCopy: SiteCopy;
}

async function buildOnce(copy: SiteCopy, expectedPosts: number) {
  const output = scratchDir("out");
  const run = await runTimed(process.execPath, eleventyArgs(copy, output), { cwd: copy.dir, env: buildEnv(copy.dir) });
  const written = readdirSync(join(output, "posts")).length;
  rmSync(output, { recursive: true, force: true });
  if (written !== expectedPosts) throw new Error(`${copy.dir}: expected ${expectedPosts} post pages, found ${written}\n${run.output}`);
  return run;
}

export async function benchSiteBuild(sizes: readonly number[], runs: number, seed: number, log: (line: string) => void): Promise<SiteBuildResult> {
  const results: BuildSizeResult[] = [];
  let firstCopy: SiteCopy | undefined;
  for (const posts of sizes) {
    const project = copyProject(posts, seed);
    const baseline = copyBaseline(posts, seed);
    firstCopy ??= project;
    const projectRuns = [];
    const baselineRuns = [];
    for (let i = 0; i < runs; i++) {
      projectRuns.push(await buildOnce(project, posts));
      baselineRuns.push(await buildOnce(baseline, posts));
      log(`  site build N=${posts} run ${i + 1}/${runs}: project ${Math.round(projectRuns.at(-1)!.ms)} ms, bare ${Math.round(baselineRuns.at(-1)!.ms)} ms`);
    }
    const projectMs = median(projectRuns.map((r) => r.ms));
    const baselineMs = median(baselineRuns.map((r) => r.ms));
    const peak = (list: { peakRssMiB: number | null }[]) => (list.every((r) => r.peakRssMiB !== null) ? median(list.map((r) => r.peakRssMiB!)) : null);
    results.push({
      posts,
      runs,
      projectMs: round(projectMs, 0),
      baselineMs: round(baselineMs, 0),
      projectMsPerPost: round(projectMs / posts, 3),
      baselineMsPerPost: round(baselineMs / posts, 3),
      ratio: round(projectMs / baselineMs),
      projectPeakRssMiB: peak(projectRuns),
      baselinePeakRssMiB: peak(baselineRuns),
      projectRunsMs: projectRuns.map((r) => round(r.ms, 0)),
      baselineRunsMs: baselineRuns.map((r) => round(r.ms, 0)),
    });
  }
  const first = results[0]!;
  const last = results.at(-1)!;
  const growth = (a: number | null, b: number | null) => (a && b ? round(b / a) : null);
  const perThousand = (a: number | null, b: number | null) => (a && b ? round(((b - a) / (last.posts - first.posts)) * 1000, 1) : null);
  const memoryGrowth = results.length < 2 ? null : {
    posts: round(last.posts / first.posts),
    project: growth(first.projectPeakRssMiB, last.projectPeakRssMiB),
    baseline: growth(first.baselinePeakRssMiB, last.baselinePeakRssMiB),
    projectMiBPer1000Posts: perThousand(first.projectPeakRssMiB, last.projectPeakRssMiB),
    baselineMiBPer1000Posts: perThousand(first.baselinePeakRssMiB, last.baselinePeakRssMiB),
  };
  return { sizes: results, memoryGrowth, firstCopy: firstCopy! };
}
