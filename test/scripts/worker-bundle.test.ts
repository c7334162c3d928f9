// The comment worker builds for deployment: `wrangler deploy --dry-run --env production --outdir` bundles it as a
// deploy would (running the [build] command that writes the post manifest), without touching the network, and the
// bundle stays within its budget (worker <= 50 KB gzipped).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");
const BUDGET_GZIP_BYTES = 50 * 1024;
const outdir = mkdtempSync(join(tmpdir(), "worker-bundle-"));

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("wrangler deploy --dry-run", () => {
  it("bundles the worker without errors and within 50 KB gzipped", () => {
    const run = spawnSync(WRANGLER, ["deploy", "--dry-run", "--env", "production", "--outdir", outdir], {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" },
      encoding: "utf8",
      timeout: 110_000,
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const bundle = join(outdir, "index.js");
    expect(existsSync(bundle)).toBe(true);
    const gzipped = gzipSync(readFileSync(bundle)).length;
    console.log(`worker bundle: ${readFileSync(bundle).length} bytes, ${gzipped} bytes gzipped`);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });
});
