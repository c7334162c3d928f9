// The results as one Markdown table (printed by `npm run bench`, pasted into docs/benchmarks.md):
// every measurement next to its same-run baseline, the ratio, the issue's target and whether it is met.
import type { ApiResult, Comparison } from "./api-throughput.ts";
import type { KvCostResult } from "./kv-cost.ts";
import type { ModerationScaleResult } from "./moderation-scale.ts";
import type { PageWeightResult } from "./page-weight.ts";
import { BUDGETS } from "./page-weight.ts";
import type { RebuildResult } from "./rebuild.ts";
import type { SiteBuildResult } from "./site-build.ts";
import type { TimeToCommentsResult } from "./time-to-comments.ts";

export interface BenchResults {
  site?: SiteBuildResult;
  rebuild?: RebuildResult;
  weight?: PageWeightResult;
  api?: ApiResult;
  timeToComments?: TimeToCommentsResult;
  kv?: KvCostResult;
  moderation?: ModerationScaleResult;
  errors: Record<string, string>;
}

type Row = [benchmark: string, measured: string, baseline: string, ratio: string, target: string, verdict: string];

const int = (n: number) => Math.round(n).toLocaleString("en-GB");
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const times = (n: number) => `${n.toFixed(2)}x`;
const verdict = (ok: boolean) => (ok ? "met" : "**NOT met**");
const cpu = (ms: number | null) => (ms === null ? "n/a" : `${int(ms)} ms`);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const mib = (n: number | null) => (n === null ? "n/a" : `${int(n)} MiB`);

function loadCell(load: Comparison["worker"]): string {
  return `${int(load.requestsPerSecond)} req/s, p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms`;
}

function siteRows(site: SiteBuildResult): Row[] {
  const largest = site.sizes.at(-1)!;
  const rows: Row[] = site.sizes.flatMap((s): Row[] => [
    [
      `Site build, N = ${int(s.posts)} (median of ${s.runs})`,
      `${int(s.projectMs)} ms (${s.projectMsPerPost.toFixed(2)} ms/post; CPU ${cpu(s.projectCpuMs)}), ${mb(s.projectOutputBytes)} written`,
      `bare Eleventy ${int(s.baselineMs)} ms (${s.baselineMsPerPost.toFixed(2)} ms/post; CPU ${cpu(s.baselineCpuMs)}), ${mb(s.baselineOutputBytes)}`,
      `${times(s.ratio)}${s.cpuRatio === null ? "" : ` (CPU ${times(s.cpuRatio)})`}`,
      s === largest ? "<= 1.25x" : "",
      s === largest ? verdict(s.ratio <= 1.25) : "",
    ],
    [
      `Build peak RSS, N = ${int(s.posts)} (median of ${s.runs})`,
      mib(s.projectPeakRssMiB),
      `bare Eleventy ${mib(s.baselinePeakRssMiB)}`,
      s.rssRatio === null ? "" : times(s.rssRatio),
      s === largest ? "<= 1.4x" : "",
      s === largest && s.rssRatio !== null ? verdict(s.rssRatio <= 1.4) : "",
    ],
  ]);
  const growth = site.memoryGrowth;
  if (growth?.project) {
    rows.push([
      `Build memory, N = ${int(site.sizes[0]!.posts)} to ${int(largest.posts)}`,
      `peak RSS x${growth.project} for x${growth.posts} posts (+${growth.projectMiBPer1000Posts} MiB per 1,000 posts)`,
      `bare x${growth.baseline} (+${growth.baselineMiBPer1000Posts} MiB per 1,000 posts)`,
      "",
      "no faster than linear",
      verdict(growth.project <= growth.posts),
    ]);
  }
  return rows;
}

function rebuildRow(rebuild: RebuildResult): Row {
  return [
    `Rebuild after editing one post, N = ${int(rebuild.posts)} (median of ${rebuild.edits})`,
    `page written after ${int(rebuild.pageWrittenMs)} ms (rebuild done ${int(rebuild.rebuildDoneMs)} ms)`,
    `full clean build ${int(rebuild.fullBuildMs)} ms`,
    times(rebuild.ratio),
    "< 0.20x",
    verdict(rebuild.ratio < 0.2),
  ];
}

function weightRows(weight: PageWeightResult): Row[] {
  return [
    [`Post page HTML + CSS, gzipped (${weight.post.page})`, `${kb(weight.post.htmlPlusCssGzipBytes)}; ${weight.post.requestsBeforeFirstRender} requests before first render`, "", "", "<= 14 KB", verdict(weight.post.htmlPlusCssGzipBytes <= BUDGETS.postPageGzipBytes)],
    ["Home page HTML + CSS, gzipped", `${kb(weight.home.htmlPlusCssGzipBytes)}; ${weight.home.requestsBeforeFirstRender} requests before first render`, "", "", "", ""],
    ["Comment script, gzipped", `${kb(weight.clientGzipBytes)} (${kb(weight.clientBytes)} minified)`, "", "", "<= 3 KB", verdict(weight.clientGzipBytes <= BUDGETS.clientGzipBytes)],
    ["Worker bundle (wrangler deploy --dry-run), gzipped", `${kb(weight.workerGzipBytes)} (${kb(weight.workerBytes)} raw)`, "", "", "<= 50 KB", verdict(weight.workerGzipBytes <= BUDGETS.workerGzipBytes)],
  ];
}

function apiRows(api: ApiResult): Row[] {
  const o = api.options;
  const row = (name: string, c: Comparison, target: string, ok?: boolean): Row => [
    name, loadCell(c.worker), `ceiling ${loadCell(c.ceiling)}`, `${times(c.throughputRatio)} (${c.slowdown.toFixed(2)}x slower; median of paired rounds)`, target, ok === undefined ? "" : verdict(ok),
  ];
  const g = api.get;
  return [
    row(`GET /api/comments, ${o.threadComments} comments (cached path), ${o.getConnections} connections, ${o.getSeconds} s in ${o.rounds} rounds`, g, "within 2x of ceiling", g.slowdown <= 2),
    [
      "... the same ceiling answering through the Cache API, as the worker does",
      loadCell(g.ceilingWithCache),
      "",
      `worker at ${times(1 / g.appSlowdown)} of this`,
      "",
      "",
    ],
    row(`GET /api/comments/counts, 10 posts, ${o.getConnections} connections, ${o.getSeconds} s in ${o.rounds} rounds`, api.counts, ""),
    row(`POST /api/comments x ${int(o.posts)}, ${o.postConnections} connections, ${o.rounds} rounds (all 202, ${int(api.post.queued)} found in the queue)`, api.post, ""),
  ];
}

function timeToCommentsRow(t: TimeToCommentsResult): Row {
  return [
    `Time to comments in Chromium, ${t.comments} comments (median of ${t.loads} loads)`,
    `${t.timeToCommentsMs} ms to .comments-title${t.threadInHtml ? " (in the built HTML)" : ""}; thread JSON in at ${t.threadJsonMs ?? "n/a"} ms; ${kb(t.transferredBytes)} transferred in ${t.requests} requests`,
    `first contentful paint ${t.firstContentfulPaintMs} ms`,
    times(t.ratioToFirstPaint),
    "",
    "",
  ];
}

function kvRows(kv: KvCostResult): Row[] {
  const describe = (m: KvCostResult["measured"][number]) => {
    const n = (count: number, what: string) => `${count} ${what}${count === 1 ? "" : "s"}`;
    const parts = [`${n(m.keysRead, "read")}${m.get !== m.keysRead ? ` (${n(m.get, "call")})` : ""}`, n(m.put, "write")];
    if (m.delete) parts.push(n(m.delete, "delete"));
    if (m.list) parts.push(n(m.list, "list"));
    return parts.join(", ");
  };
  const rows: Row[] = kv.measured.map((m) => {
    const uncached = m.request === "GET /api/comments (uncached)";
    const post = m.request === "POST /api/comments" || m.request === "POST /api/comments (reply)";
    // A moderation action decides in the ledger; the hook's own state (a separate row) is the only KV it reads.
    const action = /^(POST|DELETE) \/api\/admin\/comments\/:id/.test(m.request) && !m.request.includes("DEPLOY_HOOK_URL");
    const [target, ok] = uncached
      ? ["<= 1 read, 0 writes", m.keysRead <= 1 && m.put === 0 && m.delete === 0]
      : post
        ? ["writes only its own key", m.put === 1 && m.delete === 0 && m.list === 0]
        : action
          ? ["no KV read or list, <= 2 writes", m.keysRead === 0 && m.list === 0 && m.put <= 2]
          : ["", undefined];
    return [`KV per request: ${m.request}`, describe(m), "", "", target, ok === undefined ? "" : verdict(ok)];
  });
  for (const s of kv.scenarios) {
    const d = s.durableObject;
    const ledger = `ledger $${s.cost.durableObjectUsd.total.toFixed(2)}: ${int(d.requests)} requests, ${int(d.gbSeconds)} GB-s, ${int(d.rowsRead)} rows read, ${int(d.rowsWritten)} written`;
    rows.push([
      `Monthly cost, 1M post views + 10,000 comments, ${s.name}`,
      `$${s.cost.totalUsd.toFixed(2)} a month on Workers Paid (KV reads ${int(s.ops.reads)}, writes ${int(s.ops.writes)}, lists ${int(s.ops.lists)}; ${ledger}); $${s.perCall.cost.totalUsd.toFixed(2)} if a bulk get bills as one read`,
      "",
      "",
      "docs/cost.md",
      s.cost.freeLimitsExceeded.length ? `free plan exceeded: ${s.cost.freeLimitsExceeded.join(", ")}` : "fits the free plan",
    ]);
  }
  if (kv.modelMismatches.length > 0) rows.push(["Cost model vs measured counts", kv.modelMismatches.join("; "), "", "", "equal", verdict(false)]);
  return rows;
}

function moderationRows(m: ModerationScaleResult): Row[] {
  const first = m.sizes[0]!;
  return m.sizes.map((s) => [
    `Approve through the HTTP API, ${int(s.stored)} comments stored (${m.commentsOnPost} on the post; median of ${m.options.approvalsPerSize})`,
    `${s.approveMedianMs} ms (p90 ${s.approveP90Ms} ms)`,
    s === first ? "" : `${first.approveMedianMs} ms at ${int(first.stored)} stored`,
    s === first ? "" : times(s.approveMedianMs / first.approveMedianMs),
    s === m.sizes.at(-1) ? `<= 2x of ${int(first.stored)}` : "",
    s === m.sizes.at(-1) ? verdict(m.ratio <= 2) : "",
  ]);
}

/** The whole table, in Markdown. */
export function renderTable(results: BenchResults): string {
  const rows: Row[] = [];
  if (results.site) rows.push(...siteRows(results.site));
  if (results.rebuild) rows.push(rebuildRow(results.rebuild));
  if (results.weight) rows.push(...weightRows(results.weight));
  if (results.api) rows.push(...apiRows(results.api));
  if (results.timeToComments) rows.push(timeToCommentsRow(results.timeToComments));
  if (results.kv) rows.push(...kvRows(results.kv));
  if (results.moderation) rows.push(...moderationRows(results.moderation));
  for (const [section, message] of Object.entries(results.errors)) rows.push([section, `FAILED: ${message.split("\n")[0]}`, "", "", "", "**error**"]);
  const header: Row = ["Benchmark", "Measured", "Baseline (same run)", "Ratio", "Target", "Verdict"];
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
