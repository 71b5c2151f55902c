import { Readable, pipeline } from "node:stream";
import { stringify, type Options } from "csv-stringify";
import type { ExportColumn, ExportRecord } from "@/lib/export/columns";

// CSV as RFC 4180 says (header row, CRLF, fields with `,` `"` CR or LF quoted, quotes
// doubled), UTF-8 with an optional BOM for Excel, numbers unformatted. Text cells that a
// spreadsheet would run as a formula (= + - @, tab or CR at the start, and their full-width
// forms) get a leading apostrophe (OWASP "CSV injection"); numbers, negative ones included,
// are left alone. Rows are pulled one at a time, so memory stays flat however long the file.

export function csvOptions(columns: ExportColumn[], bom = false): Options {
  return {
    header: true,
    columns,
    record_delimiter: "\r\n",
    // With a custom record delimiter csv-stringify would stop quoting a lone LF or CR.
    quote_record_delimiter: true,
    escape_formulas: true,
    bom,
  };
}

/** A byte stream of the CSV; an error while reading rows destroys it (a cut file is never mistaken for a whole one). */
export function csvStream(rows: AsyncIterable<ExportRecord>, columns: ExportColumn[], opts: { bom?: boolean } = {}): Readable {
  const out = stringify(csvOptions(columns, opts.bom));
  pipeline(Readable.from(rows, { objectMode: true }), out, () => {});
  return out;
}
