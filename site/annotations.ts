// In GitHub Actions, a broken post is also reported as a workflow annotation on the line of the key that is
// wrong, so an author who edited the post in GitHub's web editor sees the problem beside that line in the pull
// request. Outside Actions nothing changes: the build's message already names the file and the key.
// Format: https://docs.github.com/actions/reference/workflows-and-actions/workflow-commands#setting-an-error-message
import { readFileSync } from "node:fs";
import type { PostError, PostProblem } from "./front-matter.ts";

/** One `::error` workflow command. */
export interface Annotation {
  file: string;
  line: number;
  title: string;
  message: string;
}

/** True when running as a GitHub Actions step (Actions sets GITHUB_ACTIONS=true for every step). */
export function isGitHubActions(env: Record<string, string | undefined> = process.env): boolean {
  return env.GITHUB_ACTIONS === "true";
}

/**
 * The 1-based line of a top-level `key:` inside the file's front matter (the block between the first two `---`
 * lines). A missing key, or a problem with no key (the file name, a duplicate slug), points at line 1, where
 * the front matter starts.
 */
export function findKeyLine(source: string, key?: string): number {
  if (key === undefined) return 1;
  const lines = source.split(/\r?\n/);
  if (lines[0]?.trim() !== "---") return 1;
  const pattern = new RegExp(`^(["']?)${escapeRegExp(key)}\\1\\s*:`);
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index] ?? "";
    if (/^(---|\.\.\.)\s*$/.test(line)) break;
    if (pattern.test(line)) return index + 1;
  }
  return 1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Escapes a workflow command's message: %, CR and LF (as @actions/core does). */
function escapeData(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

/** Escapes a workflow command's property value: the message's escapes plus `:` and `,`. */
function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

/** `::error file=…,line=…,title=…::message`, escaped. */
export function formatAnnotation({ file, line, title, message }: Annotation): string {
  const properties = `file=${escapeProperty(file)},line=${line},title=${escapeProperty(title)}`;
  return `::error ${properties}::${escapeData(message)}`;
}

/** The annotation for one problem, its line found in the file's source (undefined when unreadable: line 1). */
export function annotationFor(problem: PostProblem, source: string | undefined): Annotation {
  const prefix = `${problem.file}: `;
  return {
    file: problem.file,
    line: source === undefined ? 1 : findKeyLine(source, problem.key),
    title: problem.key === undefined ? "Post" : `Front matter "${problem.key}"`,
    message: problem.message.startsWith(prefix) ? problem.message.slice(prefix.length) : problem.message,
  };
}

function readSource(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Prints one annotation per problem when running in GitHub Actions. Files are read relative to the working
 * directory, which is the repository root in CI (where the paths in the messages start).
 */
export function annotatePostError(
  error: PostError,
  env: Record<string, string | undefined> = process.env,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): void {
  if (!isGitHubActions(env)) return;
  for (const problem of error.problems) write(formatAnnotation(annotationFor(problem, readSource(problem.file))));
}
