import type { ExportColumn, ExportRecord } from "@/lib/export/columns";

// The first rows of the file as a table: the same columns, in the same order, unformatted.

export function ExportPreviewTable({ columns, rows, caption }: { columns: ExportColumn[]; rows: ExportRecord[]; caption: string }) {
  return (
    <div className="relative overflow-x-auto">
      <table className="min-w-full text-left text-xs">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-200">
            {columns.map((c) => (
              <th key={c} scope="col" className="whitespace-nowrap px-2 py-1.5 font-mono font-medium text-slate-600">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} className="border-b border-slate-100 last:border-0">
              {columns.map((c) => (
                <td key={c} className={`max-w-64 truncate whitespace-nowrap px-2 py-1 ${typeof r[c] === "number" ? "text-right tabular-nums" : ""}`}>
                  {r[c] === null || r[c] === undefined ? <span className="text-slate-300">·</span> : String(r[c])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
