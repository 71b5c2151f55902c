import { AsyncLocalStorage } from "node:async_hooks";
import path from "node:path";
import type { Writable } from "node:stream";
import { parseArgs, type ParseArgsConfig } from "node:util";

/** A CLI subcommand. Each lives in scripts/cli/commands/ and is registered in main.ts. */
export interface Command {
  /** e.g. "keys create" */
  name: string;
  summary: string;
  usage: string;
  /** Whether it opens the database (then it refuses to run while the embedded DB is held). */
  needsDb: boolean;
  run(argv: string[]): Promise<void>;
}

export class UsageError extends Error {}

/** parseArgs with our errors: unknown flags and missing values become a one-line usage error. */
export function parse<T extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^.*?: /, ""));
  }
}

export function required(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required`);
  return value;
}

/**
 * Where a command writes and which folder its relative paths mean. A process running a
 * command itself uses its own; a server running one for a CLI client (the local channel,
 * scripts/cli/channel.ts) gives the client's streams and working directory.
 */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  cwd: string;
}
export const cliIo = new AsyncLocalStorage<CliIo>();
export const io = (): CliIo => cliIo.getStore() ?? { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
/** A path given on the command line, relative to the caller's working directory. */
export const userPath = (p: string) => path.resolve(io().cwd, p);

/** Output that scripts read goes to stdout; progress and hints to stderr. */
export const out = (line: string) => io().stdout.write(line + "\n");
export const info = (line: string) => io().stderr.write(line + "\n");
