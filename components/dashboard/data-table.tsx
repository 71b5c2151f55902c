import type { ChartRow } from "@/lib/charts/prepare";
import { formatExact, formatMetric } from "@/lib/charts/format";
import type { ChartSeries } from "@/components/dashboard/charts";

/** The numbers behind a chart, as a table (collapsed): for screen readers, copying, and checking. */
export function ChartDataTable({ rows, series, unit, caption }: { rows: ChartRow[]; series: ChartSeries[]; unit: "count" | "tokens" | "percent" | "usd"; caption: string }) {
  const show = (v: unknown) => (typeof v !== "number" ? "—" : unit === "percent" || unit === "usd" ? formatMetric(v, unit) : formatExact(v));
  return (
    <details className="mt-2 text-sm">
      <summary className="cursor-pointer text-xs text-slate-500 hover:text-slate-700">Show data</summary>
      <div className="relative mt-2 max-h-72 overflow-auto">
        <table className="w-full border-collapse text-xs tabular-nums">
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr className="border-b border-slate-200 text-slate-500">
              <th scope="col" className="whitespace-nowrap px-2 py-1 text-left font-medium">Period</th>
              {series.map((s) => (
                <th key={s.key} scope="col" className="whitespace-nowrap px-2 py-1 text-right font-medium">{s.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={String(r.label)} className="border-b border-slate-100">
                <th scope="row" className="whitespace-nowrap px-2 py-1 text-left font-normal">{r.label}</th>
                {series.map((s) => (
                  <td key={s.key} className="whitespace-nowrap px-2 py-1 text-right">{show(r[s.key])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
