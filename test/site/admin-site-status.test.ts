// The /admin page's line about the static site (admin/site-status.ts): how far it is behind, since when, and why.
import { describe, expect, it } from "vitest";
import { describeSiteStatus } from "../../admin/site-status.ts";

const BEHIND = { hook: true, version: 12, liveVersion: 10, owedVersion: 12, owedSince: "2026-11-23T11:00:00.000Z", attempts: 3,
  lastError: "the deploy hook answered 500", nextAttemptAt: "2026-11-23T11:07:00.000Z", lastCalledAt: "2026-11-23T11:03:00.000Z", checkedAt: null };

describe("describeSiteStatus", () => {
  it("says how many versions behind the site is, since when, the hook calls and the last error", () => {
    const text = describeSiteStatus(BEHIND);
    expect(text).toMatch(/^The static site is 2 versions behind \(it has 10, readers see 12\) since .+; 3 hook calls so far\. Last hook error: the deploy hook answered 500\.$/);
  });

  it("says the site is up to date when nothing is owed", () => {
    expect(describeSiteStatus({ ...BEHIND, liveVersion: 12, owedVersion: null, lastError: null })).toBe("The static site is up to date (publication version 12).");
  });

  it("says the pages are not rebuilt when there is no deploy hook", () => {
    expect(describeSiteStatus({ ...BEHIND, hook: false, owedVersion: null })).toBe("Publication version 12. No deploy hook is set: the static pages are not rebuilt after moderation.");
  });
});
