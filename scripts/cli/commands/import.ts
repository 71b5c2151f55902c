import fs from "node:fs";
import path from "node:path";
import { parse, UsageError, out, info, userPath, type Command } from "@/scripts/cli/command";
import { drainQueue } from "@/lib/rollups/drain";
import { importEvents, importFormat, type ImportFormat } from "@/lib/ingest/import-stream";

// `import FILE.jsonl|FILE.csv`: the same streamed import as POST /api/v1/import (DESIGN.md §4.3).

export const importFile: Command = {
  name: "import",
  summary: "import native events from JSONL or CSV (streamed, idempotent: re-running it adds nothing); lists rejected lines",
  usage: "import FILE.jsonl|FILE.csv [--format jsonl|csv] [--strict]",
  needsDb: true,
  async run(argv) {
    const { values, positionals } = parse(argv, { format: { type: "string" }, strict: { type: "boolean" } }, true);
    if (positionals.length !== 1) throw new UsageError("give one file: import FILE.jsonl|FILE.csv");
    const given = positionals[0];
    const file = userPath(given);
    const format: ImportFormat | undefined = values.format ? importFormat(`x.${values.format}`) : importFormat(given);
    if (!format) throw new UsageError(`cannot tell the format of "${path.basename(file)}": name it .jsonl/.ndjson/.csv or pass --format jsonl|csv`);
    if (!fs.existsSync(file)) throw new UsageError(`no such file: ${given}`);
    const started = Date.now();
    const report = await importEvents(fs.createReadStream(file), format, {
      source: "import",
      onChunk: (r) => info(`… ${r.lines} lines: ${r.accepted} accepted, ${r.duplicates} duplicates, ${r.rejected} rejected`),
    });
    // What was stored is in the rollups when the command returns, server or not.
    await drainQueue();
    for (const r of report.rejectedLines) {
      out(`line ${r.line}${r.id ? ` (id ${r.id})` : ""}: ${r.errors.map((e) => (e.path ? `${e.path} ${e.message}` : e.message)).join("; ")}`);
    }
    if (report.rejected > report.rejectedLines.length) out(`… and ${report.rejected - report.rejectedLines.length} more rejected lines`);
    out(`${report.events} events in ${report.lines} lines: ${report.accepted} accepted, ${report.duplicates} duplicates, ${report.rejected} rejected (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    if (values.strict && report.rejected > 0) throw new UsageError(`${report.rejected} lines were rejected (--strict)`);
  },
};
