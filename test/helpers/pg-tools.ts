import { execFile } from "node:child_process";
import { promisify } from "node:util";

// PostgreSQL's own client tools (pg_dump, pg_restore, psql) against a test database URL.

const run = promisify(execFile);

export async function pgDump(url: string, args: string[] = []): Promise<string> {
  const { stdout } = await run("pg_dump", ["--no-owner", "--no-privileges", ...args, url], { maxBuffer: 1024 * 1024 * 1024 });
  return stdout;
}

/** Runs a command-line tool (pg_dump, pg_restore, createdb, tar …) and returns its stdout. */
export async function pgTool(tool: string, args: string[]): Promise<string> {
  const { stdout } = await run(tool, args, { maxBuffer: 1024 * 1024 * 1024 });
  return stdout;
}
