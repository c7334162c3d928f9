// The "Site build" benchmark: a full clean build of the project's real config against N generated posts, next to bare
// Eleventy on the same posts, run alternately (project, baseline, project, …) so drift hits both alike.
// Each build is a fresh `eleventy` process into an empty output folder on tmpfs. One untimed build of each comes
// first, so the first timed run does not also pay for a cold file cache and Node's compile cache.
import { readdirSync, rmSync, statSync } from "node:fs";
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
  /** Median CPU time (user + system) of each target, and their ratio: steadier than wall time on a busy machine. */
  projectCpuMs: number | null;
  baselineCpuMs: number | null;
  cpuRatio: number | null;
  projectPeakRssMiB: number | null;
  baselinePeakRssMiB: number | null;
  /** Project peak RSS over the baseline's (medians), or null when either could not be measured. */
  rssRatio: number | null;
  /** Bytes written by one build (every file of the output folder). */
  projectOutputBytes: number;
  baselineOutputBytes: number;
  projectRunsMs: number[];
  baselineRunsMs: number[];
  projectRunsCpuMs: (number | null)[];
  baselineRunsCpuMs: (number | null)[];
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

/** The total size of the files under `dir`. */
function bytesUnder(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

async function buildOnce(copy: SiteCopy, expectedPosts: number) {
  const output = scratchDir("out");
  const run = await runTimed(process.execPath, eleventyArgs(copy, output), { cwd: copy.dir, env: buildEnv(copy.dir) });
  const written = readdirSync(join(output, "posts")).length;
  const outputBytes = bytesUnder(output);
  rmSync(output, { recursive: true, force: true });
  if (written !== expectedPosts) throw new Error(`${copy.dir}: expected ${expectedPosts} post pages, found ${written}\n${run.output}`);
  return { ...run, outputBytes };
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
    const warmUp = [await buildOnce(project, posts), await buildOnce(baseline, posts)];
    log(`  site build N=${posts} warm-up: project ${Math.round(warmUp[0]!.ms)} ms, bare ${Math.round(warmUp[1]!.ms)} ms`);
    for (let i = 0; i < runs; i++) {
      projectRuns.push(await buildOnce(project, posts));
      baselineRuns.push(await buildOnce(baseline, posts));
      const [p, b] = [projectRuns.at(-1)!, baselineRuns.at(-1)!];
      log(`  site build N=${posts} run ${i + 1}/${runs}: project ${Math.round(p.ms)} ms (CPU ${p.cpuMs} ms), bare ${Math.round(b.ms)} ms (CPU ${b.cpuMs} ms)`);
    }
    const projectMs = median(projectRuns.map((r) => r.ms));
    const baselineMs = median(baselineRuns.map((r) => r.ms));
    const peak = (list: { peakRssMiB: number | null }[]) => (list.every((r) => r.peakRssMiB !== null) ? median(list.map((r) => r.peakRssMiB!)) : null);
    const cpu = (list: { cpuMs: number | null }[]) => (list.every((r) => r.cpuMs !== null) ? median(list.map((r) => r.cpuMs!)) : null);
    const projectCpu = cpu(projectRuns);
    const baselineCpu = cpu(baselineRuns);
    const projectPeak = peak(projectRuns);
    const baselinePeak = peak(baselineRuns);
    results.push({
      posts,
      runs,
      projectMs: round(projectMs, 0),
      baselineMs: round(baselineMs, 0),
      projectMsPerPost: round(projectMs / posts, 3),
      baselineMsPerPost: round(baselineMs / posts, 3),
      ratio: round(projectMs / baselineMs),
      projectCpuMs: projectCpu,
      baselineCpuMs: baselineCpu,
      cpuRatio: projectCpu && baselineCpu ? round(projectCpu / baselineCpu) : null,
      projectPeakRssMiB: projectPeak,
      baselinePeakRssMiB: baselinePeak,
      rssRatio: projectPeak && baselinePeak ? round(projectPeak / baselinePeak) : null,
      projectOutputBytes: projectRuns[0]!.outputBytes,
      baselineOutputBytes: baselineRuns[0]!.outputBytes,
      projectRunsMs: projectRuns.map((r) => round(r.ms, 0)),
      baselineRunsMs: baselineRuns.map((r) => round(r.ms, 0)),
      projectRunsCpuMs: projectRuns.map((r) => r.cpuMs),
      baselineRunsCpuMs: baselineRuns.map((r) => r.cpuMs),
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
