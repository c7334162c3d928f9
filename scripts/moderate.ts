// `npm run moderate -- <command>`: the moderators' terminal tool for the comment worker (docs/moderation.md).
// Everything lives in scripts/moderate/; this file only connects it to the process.
import { createInterface } from "node:readline/promises";
import { runCli } from "./moderate/cli.ts";

/** A question on the terminal (only when there is one: a script piping in gets no prompt, and must say --yes). */
async function ask(question: string): Promise<string> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await prompt.question(question);
  } finally {
    prompt.close();
  }
}

process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  columns: process.stdout.columns || Number(process.env.COLUMNS) || 120,
  ...(process.stdin.isTTY ? { ask } : {}),
});
