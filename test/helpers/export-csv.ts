import { parse } from "csv-parse/sync";
import { csvStream } from "@/lib/export/csv";
import type { WeeklyExport } from "@/lib/export/weekly-export";

// Reads exports back with csv-parse in strict mode, twice: once requiring CRLF record
// delimiters and once auto-detecting them. Both must agree, so a bare LF or CR in a cell
// that was left unquoted would show up as a different record count.

export async function exportText(exp: WeeklyExport, bom = false): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of csvStream(exp.rows, exp.columns, { bom })) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString("utf8");
}

export function readCsv(text: string): { header: string[]; rows: Record<string, string>[] } {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const strict = { relax_quotes: false, relax_column_count: false, skip_empty_lines: false, bom: false } as const;
  const crlf = parse(body, { ...strict, record_delimiter: "\r\n" }) as string[][];
  const auto = parse(body, strict) as string[][];
  if (JSON.stringify(crlf) !== JSON.stringify(auto)) throw new Error("records differ between CRLF and auto-detected delimiters");
  if (!body.endsWith("\r\n")) throw new Error("the last record does not end with CRLF");
  const [header, ...records] = crlf;
  return { header, rows: records.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

/** A numeric cell: "" is undefined (null), anything else a plain number. */
export function num(cell: string): number | null {
  if (cell === "") return null;
  if (!/^-?\d+(\.\d+)?$/.test(cell)) throw new Error(`not an unformatted number: ${JSON.stringify(cell)}`);
  return Number(cell);
}

/** A text cell as it was before formula neutralisation ("'=1+1" → "=1+1"). */
export function plain(cell: string): string {
  return /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(cell) ? cell.slice(1) : cell;
}
