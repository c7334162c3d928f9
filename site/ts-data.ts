// Typed directory data files (posts/posts.11tydata.ts): Node imports .ts itself, Eleventy only needs telling.
import type { UserConfig } from "@11ty/eleventy";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** Imports a data module's default export. */
async function importData(path: string): Promise<unknown> {
  return ((await import(pathToFileURL(resolve(path)).href)) as { default: unknown }).default;
}

/**
 * Registers `.ts` as a data file extension. Eleventy asks for a directory data file once for every template
 * in the folder (4,000 times for 4,000 posts); each build imports it once and hands every template the same
 * data, as Node's module cache would anyway, without 4,000 trips through the module loader.
 */
export function addTypeScriptData(eleventyConfig: UserConfig): void {
  const modules = new Map<string, Promise<unknown>>();
  eleventyConfig.on("eleventy.before", () => modules.clear());
  eleventyConfig.addDataExtension("ts", {
    read: false,
    parser: (path) => {
      let data = modules.get(path);
      if (!data) modules.set(path, (data = importData(path)));
      return data;
    },
  });
}
