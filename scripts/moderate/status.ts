// `npm run moderate -- status`: how far the static site is behind what readers of the live thread see. The worker
// counts every change to readers' view (the publication version), asks for a site rebuild, and holds it owed until
// the live site's /comments-version.json reports that version (worker/publish/deploy-hook.ts).
import type { SiteStatus } from "./api.ts";

const when = (iso: string | null) => iso ?? "never";

/** The status as a few labelled lines. */
export function formatStatus(status: SiteStatus): string {
  const lines = [`Publication version  ${status.version} (what readers of the live thread see)`];
  if (!status.hook) {
    lines.push("Site rebuild         not asked for: the worker has no DEPLOY_HOOK_URL (the pages show comments as of their last build)");
    return lines.join("\n");
  }
  lines.push(`Live site            version ${status.liveVersion} (last checked ${when(status.checkedAt)})`);
  if (status.owedVersion === null) {
    lines.push("Site rebuild         none owed: the live site is up to date");
  } else {
    lines.push(`Site rebuild         owed for version ${status.owedVersion}, ${status.owedVersion - status.liveVersion} behind, since ${when(status.owedSince)}`);
    lines.push(`Hook calls           ${status.attempts} (last ${when(status.lastCalledAt)}; next ${when(status.nextAttemptAt)})`);
  }
  if (status.lastError) lines.push(`Last hook error      ${status.lastError}`);
  return lines.join("\n");
}
