// Eleventy 3 and its RSS plugin ship no TypeScript declarations. These describe only the parts this project
// calls, so `tsc` checks .eleventy.ts, site/ and the site tests against them.

declare module "@11ty/eleventy" {
  /** One page in a collection (https://www.11ty.dev/docs/collections/#collection-item-data-structure). */
  export interface CollectionItem {
    url: string;
    date: Date;
    inputPath: string;
    fileSlug: string;
    outputPath: string | false;
    data: Record<string, unknown>;
    content: string;
  }

  export interface CollectionApi {
    getAll(): CollectionItem[];
    getAllSorted(): CollectionItem[];
    getFilteredByTag(tag: string): CollectionItem[];
  }

  export interface EleventyEventArgs {
    runMode: "build" | "serve" | "watch";
    directories: { input: string; output: string };
  }

  export interface UserConfig {
    /** Resolved project directories (input relative to the working directory, e.g. "./"). */
    directories: { input: string; output: string; includes: string; layouts?: string };
    ignores: Set<string>;
    addGlobalData(name: string, data: unknown): void;
    addFilter(name: string, filter: (...args: never[]) => unknown): void;
    addCollection(name: string, build: (api: CollectionApi) => unknown): void;
    addPlugin(plugin: unknown, options?: Record<string, unknown>): void;
    addPassthroughCopy(paths: string | Record<string, string>): void;
    addPreprocessor(
      name: string,
      extensions: string,
      callback: (this: { inputPath: string }, data: Record<string, unknown>, content: string) => unknown,
    ): void;
    addDateParsing(callback: (this: { page: { inputPath: string } }, value: unknown) => unknown): void;
    addDataExtension(
      extension: string,
      options: { parser: (path: string) => unknown; read?: boolean },
    ): void;
    setLibrary(extension: "md", library: unknown): void;
    /** Changes the library Eleventy renders Markdown with (its bundled markdown-it, unless setLibrary replaced it). */
    amendLibrary(
      extension: "md",
      callback: (library: { set(options: Record<string, unknown>): unknown; disable(rule: string): unknown }) => unknown,
    ): void;
    addWatchTarget(path: string): void;
    /** Options for the file watcher (chokidar), merged over Eleventy's. */
    setChokidarConfig(options: Record<string, unknown>): void;
    setUseGitIgnore(enabled: boolean): void;
    /** The suffixes of template and directory data files (default [".11tydata", ""]). */
    setDataFileSuffixes(suffixes: string[]): void;
    watchIgnores: Set<string>;
    on(event: "eleventy.before" | "eleventy.after", callback: (args: EleventyEventArgs) => unknown): void;
    /** Before a watch rebuild, with the changed files' paths relative to the working directory ("./client/x.ts"). */
    on(event: "eleventy.beforeWatch", callback: (changedFiles: string[]) => unknown): void;
  }

  /** A page Eleventy rendered, as returned by `toJSON()`. */
  export interface RenderedPage {
    url: string | false;
    inputPath: string;
    outputPath: string | false;
    content: string;
  }

  export interface EleventyOptions {
    configPath?: string;
    quietMode?: boolean;
    runMode?: "build" | "serve" | "watch";
  }

  /** The programmatic API (https://www.11ty.dev/docs/programmatic/). */
  export default class Eleventy {
    constructor(input?: string, output?: string, options?: EleventyOptions);
    write(): Promise<unknown>;
    toJSON(): Promise<RenderedPage[]>;
  }
}

declare module "@11ty/eleventy-plugin-rss" {
  /** Adds the feed filters: dateToRfc3339, getNewestCollectionItemDate, and (via the HTML <base> plugin) renderTransforms. */
  export const rssPlugin: unknown;
}
