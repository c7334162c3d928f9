import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { bundleClient, CLIENT_OUTPUT } from "../../site/client-bundle.ts";

describe("the comment script bundle", () => {
  it("fits the 3 KB gzipped budget", async () => {
    const dir = mkdtempSync(join(tmpdir(), "client-"));
    await bundleClient(dir);
    const bytes = gzipSync(readFileSync(join(dir, CLIENT_OUTPUT)), { level: 9 }).length;
    expect(bytes).toBeGreaterThan(500);
    expect(bytes).toBeLessThanOrEqual(3 * 1024);
  });

  it("never writes reader text through innerHTML", async () => {
    const dir = mkdtempSync(join(tmpdir(), "client-"));
    await bundleClient(dir);
    const source = readFileSync(join(dir, CLIENT_OUTPUT), "utf8");
    expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
