// The line under the sign-in that says how far the static site is behind what readers of the live thread see: the
// worker holds a site rebuild owed until the live site reports the publication version (GET /api/admin/status).
// No DOM here, so the sentence is tested alone; admin.ts puts it on the page.
import type { SiteStatus } from "./api.ts";

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The status as one sentence a moderator reads. */
export function describeSiteStatus(status: SiteStatus): string {
  if (!status.hook) return `Publication version ${status.version}. No deploy hook is set: the static pages are not rebuilt after moderation.`;
  if (status.owedVersion === null) return `The static site is up to date (publication version ${status.version}).`;
  const behind = status.owedVersion - status.liveVersion;
  const since = status.owedSince ? ` since ${new Date(status.owedSince).toLocaleString("en-GB")}` : "";
  const error = status.lastError ? ` Last hook error: ${status.lastError}.` : "";
  return `The static site is ${count(behind, "version")} behind (it has ${status.liveVersion}, readers see ${status.owedVersion})${since}; ${count(status.attempts, "hook call")} so far.${error}`;
}
