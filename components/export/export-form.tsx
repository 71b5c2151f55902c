import { EXPORT_GRAINS, GRAIN_LABELS, type ExportGrain } from "@/lib/export/columns";

// The export's choices as a plain GET form: "Preview" reloads this page with the choice in
// the URL (shareable), "Download CSV" sends the same fields to the API, which answers with
// the file. Works without JavaScript.

export function ExportForm({ week, grain, bom, maxWeek, canExportPeople }: { week: string; grain: ExportGrain; bom: boolean; maxWeek: string; canExportPeople: boolean }) {
  const grains = EXPORT_GRAINS.filter((g) => g !== "person" || canExportPeople);
  return (
    <form method="get" action="/export" className="flex flex-wrap items-end gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-label="Export options">
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
        ISO week
        <input
          type="week"
          name="week"
          defaultValue={week}
          max={maxWeek}
          required
          pattern="\d{4}-W\d{2}"
          placeholder="2026-W48"
          className="rounded-md border border-slate-300 px-2 py-1.5 font-normal text-slate-900"
        />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
        Rows
        <select name="grain" defaultValue={grain} className="rounded-md border border-slate-300 px-2 py-1.5 font-normal text-slate-900">
          {grains.map((g) => (
            <option key={g} value={g}>
              {GRAIN_LABELS[g]}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
        <input type="checkbox" name="bom" value="1" defaultChecked={bom} className="h-4 w-4" />
        For Excel (UTF-8 BOM)
      </label>
      <div className="flex gap-2">
        <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50">
          Preview
        </button>
        <button type="submit" formAction="/api/v1/exports/weekly.csv" className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">
          Download CSV
        </button>
      </div>
    </form>
  );
}
