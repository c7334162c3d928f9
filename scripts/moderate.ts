// `npm run moderate -- <command>`: the moderators' terminal tool for the comment worker (docs/moderation.md).
// Everything lives in scripts/moderate/; this file only connects it to the process.
import { runCli } from "./moderate/cli.ts";

process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  columns: process.stdout.columns || Number(process.env.COLUMNS) || 120,
});
