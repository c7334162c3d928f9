// How an import's report reads: a first line of counts (what `--dry-run` and every import print), then what a
// moderator must act on: unmapped threads with their URLs, replies kept under a placeholder, the date range.
import type { ImportReport } from "../import.ts";

/** The report as text lines; the first is the summary. */
export function formatImportReport(report: ImportReport): string[] {
  const plan = report.plan;
  const verb = report.dryRun ? "would import" : "imported";
  const done = report.dryRun ? report.toSend : report.imported;
  const parts = [`${verb} ${done}`];
  if (report.duplicates > 0) parts.push(`${report.duplicates} already there`);
  if (report.keptDeleted > 0) parts.push(`${report.keptDeleted} deleted here left deleted`);
  if (!plan) return [parts.join(", ")];
  const unmappedComments = plan.unmapped.reduce((sum, t) => sum + t.comments, 0);
  const skipped = [
    [plan.byStatus.spam, "spam"],
    [plan.byStatus.deleted, "deleted"],
    [plan.notComments, plan.notComments === 1 ? "pingback" : "pingbacks"],
    [plan.empty, "with no text"],
    [plan.duplicatesInFile, "twice in the file"],
    [unmappedComments, `on ${plan.unmapped.length === 1 ? "a thread" : "threads"} with no post`],
  ] as const;
  const named = skipped.filter(([n]) => n > 0).map(([n, label]) => `${n} ${label}`);
  const lines = [`${parts.join(", ")}${named.length > 0 ? `, skipped ${named.join(", ")}` : ""}`];
  const { approved, pending, spam, deleted } = plan.byStatus;
  const range = plan.dateRange ? `, ${plan.dateRange.first} to ${plan.dateRange.last}` : "";
  lines.push(`${report.format} file ${report.file}: ${approved} approved, ${pending} pending, ${spam} spam, ${deleted} deleted${range}`);
  if (plan.placeholders > 0) lines.push(`${plan.placeholders} "[deleted]" placeholder${plan.placeholders === 1 ? "" : "s"} keep${plan.placeholders === 1 ? "s" : ""} replies in place:`);
  for (const orphan of plan.orphans) lines.push(`  reply ${orphan.id}: its parent ${orphan.parent} is ${orphan.reason === "missing" ? "not in the file" : orphan.reason}`);
  for (const thread of plan.unmapped) {
    lines.push(`unmapped thread ${thread.url ?? thread.key} (${thread.comments} comment${thread.comments === 1 ? "" : "s"}): no post has its slug; add a --map line for it`);
  }
  return lines;
}
