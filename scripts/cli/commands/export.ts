import { pipeline } from "node:stream/promises";
import { config } from "@/lib/config";
import { io, parse, UsageError, info, out, userPath, type Command } from "@/scripts/cli/command";
import { describeErrors, parseExportParams } from "@/lib/export/params";
import { openWeeklyExport } from "@/lib/export/weekly-export";
import { csvStream } from "@/lib/export/csv";
import { writeExportFile } from "@/lib/export/write-file";

// `export weekly`: the weekly CSV (DESIGN.md §8) of an ISO week, by default the last
// complete one. With --out DIR it writes wakeboard-<week>-<grain>.csv there atomically and
// prints the path; without, the CSV goes to stdout. The operator runs it with the
// database's own access, so the person grain is not limited by the privacy floor (as for admins).

export const exportWeekly: Command = {
  name: "export weekly",
  summary: "write the weekly CSV of an ISO week (default: the last complete one) to stdout, or into --out DIR",
  usage: "export weekly [--week 2026-W48] [--grain team|team-tool|person] [--out DIR] [--bom]",
  needsDb: true,
  async run(argv) {
    const { values } = parse(argv, { week: { type: "string" }, grain: { type: "string" }, out: { type: "string" }, bom: { type: "boolean" } });
    const parsed = parseExportParams({ week: values.week, grain: values.grain }, { tz: config().WAKEBOARD_TZ });
    if (!parsed.ok) throw new UsageError(describeErrors(parsed.errors.map((e) => ({ ...e, path: `--${e.path}` }))));
    const { week, grain } = parsed.value;
    const exp = await openWeeklyExport({ week, grain, requester: { kind: "system" } });
    if (values.out) {
      const written = await writeExportFile(exp, userPath(values.out), { bom: values.bom });
      info(`wrote ${written.rows} rows (${written.bytes} bytes) of ${week}, grain ${grain}`);
      out(written.path);
      return;
    }
    try {
      await pipeline(csvStream(exp.rows, exp.columns, { bom: values.bom }), io().stdout, { end: false });
    } catch (e) {
      // `… | head` closes the pipe early: that is the reader's choice, not an error.
      if ((e as NodeJS.ErrnoException).code !== "EPIPE") throw e;
    }
  },
};
