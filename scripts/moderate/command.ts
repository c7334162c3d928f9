// What a moderation CLI command is: its options, how many arguments it takes, and how it runs. Shared by the
// command table (cli.ts) and the command groups it gathers (desk.ts), so neither imports the other.
import type { ParseArgsConfig } from "node:util";
import type { AdminClient } from "./api.ts";

/** Where a command writes, and what it knows of the terminal; tests pass their own to read every line. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Terminal width for tables. */
  columns: number;
  /** Asks a question and returns the answer; absent when there is no terminal to ask (then only --yes proceeds). */
  ask?(question: string): Promise<string>;
}

/** The command line after `parseArgs`: the options' values and the positional arguments. */
export type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

export interface Command {
  options: ParseArgsConfig["options"];
  /** Fewest positional arguments; `many` allows more than `min`. */
  min: number;
  many: boolean;
  run(args: Parsed, io: CliIo, client: () => AdminClient): Promise<number>;
}
