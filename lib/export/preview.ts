import type { ExportRecord } from "@/lib/export/columns";
import { openWeeklyExport, type WeeklyExport, type WeeklyExportOptions } from "@/lib/export/weekly-export";

// The first rows of an export, for the page's preview: the same rows the file starts with,
// read lazily, so a preview of a large person export stops after its first team batch.

export interface ExportPreview extends Omit<WeeklyExport, "rows"> {
  rows: ExportRecord[];
  /** Whether the file has more rows than shown. */
  more: boolean;
}

export async function previewWeeklyExport(opts: WeeklyExportOptions, limit = 10): Promise<ExportPreview> {
  const exp = await openWeeklyExport(opts);
  const rows: ExportRecord[] = [];
  let more = false;
  for await (const r of exp.rows) {
    if (rows.length === limit) {
      more = true;
      break; // ends the generator: no further queries run
    }
    rows.push(r);
  }
  return { ...exp, rows, more };
}
