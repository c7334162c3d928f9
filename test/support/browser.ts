// Debian's Chromium driven by playwright-core (never a downloaded browser). When no Chromium is installed
// the browser tests are skipped with this reason printed; .ci/run installs it, so CI always runs them.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROME_PATH = process.env.CHROME_PATH ?? "/usr/bin/chromium";
export const NO_BROWSER_REASON = existsSync(CHROME_PATH)
  ? null
  : `browser tests skipped: no Chromium at ${CHROME_PATH} (apt-get install chromium, or set CHROME_PATH)`;

/** Launches headless Chromium with the flags this sandbox needs (no background network, no sandbox as root). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROME_PATH,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--no-first-run", "--disable-sync", "--disable-quic"],
  });
}
