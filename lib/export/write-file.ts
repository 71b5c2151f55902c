import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { csvStream } from "@/lib/export/csv";
import type { ExportRecord } from "@/lib/export/columns";
import type { WeeklyExport } from "@/lib/export/weekly-export";

// Writes an export into a folder atomically: into a hidden temporary file in the same
// folder (same file system), flushed to disk, then renamed over the final name. A reader
// (a sync job, a spreadsheet) sees either the previous file or the whole new one, never
// a half-written one; a failed run leaves no file behind.

export interface WrittenExport {
  path: string;
  rows: number;
  bytes: number;
}

export async function writeExportFile(exp: WeeklyExport, dir: string, opts: { bom?: boolean } = {}): Promise<WrittenExport> {
  await fs.promises.mkdir(dir, { recursive: true });
  const final = path.join(path.resolve(dir), exp.fileName);
  const tmp = path.join(path.dirname(final), `.${exp.fileName}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  let rows = 0;
  async function* counted(): AsyncGenerator<ExportRecord> {
    for await (const r of exp.rows) {
      rows++;
      yield r;
    }
  }
  try {
    await pipeline(csvStream(counted(), exp.columns, opts), fs.createWriteStream(tmp, { mode: 0o644 }));
    const fh = await fs.promises.open(tmp, "r+");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.promises.rename(tmp, final);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
  await syncDir(path.dirname(final));
  return { path: final, rows, bytes: (await fs.promises.stat(final)).size };
}

/** Makes the rename itself durable; not every platform can open a folder, so best effort. */
async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await fs.promises.open(dir, "r");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // ignored: the data is synced; only the rename's durability across a power cut is weaker.
  }
}
