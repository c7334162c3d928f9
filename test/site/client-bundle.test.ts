import type { UserConfig } from "@11ty/eleventy";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { addClientBundle, bundleClient, CLIENT_OUTPUT, isClientSource, TAKE_BACK_OUTPUT } from "../../site/client-bundle.ts";

describe("the comment script bundle", () => {
  // One bundle serves every test here: bundling is deterministic, and and every test only reads it.
  const dir = mkdtempSync(join(tmpdir(), "client-"));
  beforeAll(() => bundleClient(dir));
  const gzipped = (dir: string, file: string) => gzipSync(readFileSync(join(dir, file)), { level: 9 }).length;

  it("fits the 3 KB gzipped budget", () => {
    const bytes = gzipped(dir, CLIENT_OUTPUT);
    expect(bytes).toBeGreaterThan(500);
    expect(bytes).toBeLessThanOrEqual(3 * 1024);
  });

  it("keeps the author's Edit and Delete (take-back.js, loaded only when needed) within its own 2 KB gzipped", () => {
    const bytes = gzipped(dir, TAKE_BACK_OUTPUT);
    expect(bytes).toBeGreaterThan(500);
    expect(bytes).toBeLessThanOrEqual(2 * 1024);
  });

  it("is two files and no shared chunk: a reader with nothing to take back downloads one script", () => {
    expect(readdirSync(join(dir, "assets")).sort()).toEqual(["comments.js", "take-back.js"]);
    const main = readFileSync(join(dir, CLIENT_OUTPUT), "utf8");
    expect(main).not.toMatch(/^import\b|[;}]import[ {*]/);
    expect(main).toContain('import("./take-back.js")');
  });

  it("never writes reader text through innerHTML", () => {
    for (const file of [CLIENT_OUTPUT, TAKE_BACK_OUTPUT]) {
      const source = readFileSync(join(dir, file), "utf8");
      expect(source, file).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    }
  });
});

/** An Eleventy stand-in that runs the hooks addClientBundle registers, as a build and a watch rebuild would. */
function createEleventy(output: string) {
  type Handler = (arg: unknown) => unknown;
  const handlers = new Map<string, Handler>();
  const config = { on: (event: string, handler: Handler) => void handlers.set(event, handler) } as unknown as UserConfig;
  addClientBundle(config);
  const run = (event: string, arg: unknown) => handlers.get(event)?.(arg);
  return {
    /** A build; `changed` makes it a watch rebuild after those files changed. */
    async build(changed?: string[]) {
      if (changed) await run("eleventy.beforeWatch", changed);
      await run("eleventy.before", { runMode: changed ? "watch" : "build", directories: { input: "./", output } });
      await run("eleventy.after", { runMode: changed ? "watch" : "build", directories: { input: "./", output } });
    },
  };
}

describe("addClientBundle", () => {
  it("writes /assets/comments.js on the first build of every Eleventy (npm run build)", async () => {
    const output = mkdtempSync(join(tmpdir(), "client-"));
    await createEleventy(output).build();
    expect(readFileSync(join(output, CLIENT_OUTPUT), "utf8")).toMatch(/comment/);
  });

  it("under npm start, bundles again only when a file in client/ changed", async () => {
    const output = mkdtempSync(join(tmpdir(), "client-"));
    const eleventy = createEleventy(output);
    await eleventy.build();
    const script = join(output, CLIENT_OUTPUT);
    writeFileSync(script, "the bundle as it was");
    await eleventy.build(["./posts/system-leadership-matters.md"]);
    expect(readFileSync(script, "utf8")).toBe("the bundle as it was");
    await eleventy.build(["./client/comments.ts"]);
    expect(readFileSync(script, "utf8")).not.toBe("the bundle as it was");
  });

  it("bundles again when the output folder lost the script", async () => {
    const output = mkdtempSync(join(tmpdir(), "client-"));
    const eleventy = createEleventy(output);
    await eleventy.build();
    rmSync(join(output, CLIENT_OUTPUT));
    await eleventy.build(["./posts/system-leadership-matters.md"]);
    expect(existsSync(join(output, CLIENT_OUTPUT))).toBe(true);
  });
});

describe("isClientSource", () => {
  it("is true for files in client/ only", () => {
    expect(isClientSource("./client/comments.ts")).toBe(true);
    expect(isClientSource("client/markup.ts")).toBe(true);
    expect(isClientSource("./posts/client-notes.md")).toBe(false);
    expect(isClientSource("./clients.ts")).toBe(false);
    expect(isClientSource("./site/client-bundle.ts")).toBe(false);
  });
});
