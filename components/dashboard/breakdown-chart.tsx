import { getTeamBreakdown, type BreakdownBy } from "@/lib/queries/get-team-breakdown";
import { getSeriesColors } from "@/lib/queries/series-colors";
import { colorFor, OTHER_COLOR } from "@/lib/charts/colors";
import { toChartRows, topSeries } from "@/lib/charts/prepare";
import { formatCompact, formatExact } from "@/lib/charts/format";
import type { Grain } from "@/lib/time/buckets";
import type { Period } from "@/lib/time/period";
import { TimeChart } from "@/components/dashboard/charts";
import { ChartDataTable } from "@/components/dashboard/data-table";
import { EmptyState } from "@/components/dashboard/ui";

/** Tokens over time, stacked by tool or model, with each one's share of the total. */
export async function BreakdownChart(props: { team?: string | null; teams?: string[]; period: Period; by: BreakdownBy; grain: Grain; tools?: string[]; models?: string[] }) {
  const [b, palette] = await Promise.all([getTeamBreakdown(props), getSeriesColors(props.by)]);
  if (b.series.every((s) => s.total.tokens === 0 && s.total.invocations === 0)) return <EmptyState title="No usage in this period">Nothing was reported for these filters.</EmptyState>;
  const series = topSeries(b.series, "tokens", 6);
  const color = (key: string) => (key === "__other" ? OTHER_COLOR : (palette[key] ?? colorFor(key)));
  const chartSeries = series.map((s) => ({ key: s.key, label: s.label, color: color(s.key) }));
  const rows = toChartRows(b.buckets.map((x) => x.label), series);
  const total = b.series.reduce((s, x) => s + x.total.tokens, 0);
  const what = props.by === "tool" ? "tool" : "model";
  const scoped = Boolean(props.team || props.teams?.length);
  return (
    <div>
      <TimeChart rows={rows} series={chartSeries} unit="tokens" label={`Tokens by ${what}`} partial={b.buckets.map((x) => x.partial)} />
      <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600" aria-label={`Share by ${what}`}>
        {b.series.slice(0, 8).map((s) => (
          <li key={s.key} data-series={s.key} className="whitespace-nowrap" title={`${formatExact(s.total.tokens)} tokens · ${formatExact(s.total.invocations)} invocations${scoped ? ` · ${s.total.activeUsers} active` : ""}`}>
            <span className="mr-1 inline-block h-2.5 w-2.5 rounded-sm align-middle" data-swatch style={{ background: color(s.key) }} aria-hidden />
            <span className="font-medium text-slate-800">{s.label}</span> {formatCompact(s.total.tokens)} ({total ? ((s.total.tokens / total) * 100).toFixed(1) : "0.0"}%)
          </li>
        ))}
      </ul>
      <ChartDataTable rows={rows} series={chartSeries} unit="tokens" caption={`Tokens by ${what}`} />
    </div>
  );
}
