import Link from "next/link";
import { compareTeams } from "@/lib/queries/compare-teams";
import { METRIC_INFO, type Metric } from "@/lib/queries/metrics";
import { catalogColors } from "@/lib/charts/colors";
import { averageKey, toChartRows } from "@/lib/charts/prepare";
import { formatMetric } from "@/lib/charts/format";
import type { Grain } from "@/lib/time/buckets";
import { formatPeriodParam, type Period } from "@/lib/time/period";
import { TimeChart } from "@/components/dashboard/charts";
import { ChartDataTable } from "@/components/dashboard/data-table";
import { EmptyState } from "@/components/dashboard/ui";

/**
 * Up to 10 teams on one metric over time, one line each, coloured by their place in the
 * comparison (ten distinct colour-blind-safe colours). By day the 7-day average is the line
 * and the daily values a faint one behind it, unless `smooth` is off.
 */
export async function ComparisonChart(props: { teams: string[]; period: Period; metric: Metric; grain: Grain; tools?: string[]; models?: string[]; smooth?: boolean }) {
  if (props.teams.length === 0) return <EmptyState title="Pick teams to compare" />;
  const c = await compareTeams(props);
  const info = METRIC_INFO[props.metric];
  const colors = catalogColors(c.teams.map((t) => t.slug));
  const smooth = props.smooth !== false && c.teams.some((t) => t.average);
  const series = c.teams.map((t) => ({ key: t.slug, label: t.name, color: colors[t.slug], average: smooth }));
  const rows = toChartRows(c.buckets.map((b) => b.label), [
    ...c.teams.map((t) => ({ key: t.slug, label: t.name, values: t.values })),
    ...(smooth ? c.teams.map((t) => ({ key: averageKey(t.slug), label: `${t.name} (7-day average)`, values: t.average ?? [] })) : []),
  ]);
  if (c.teams.every((t) => t.values.every((v) => !v))) return <EmptyState title="No usage in this period">Pick another period or other teams.</EmptyState>;
  return (
    <div>
      <TimeChart rows={rows} series={series} unit={info.unit} kind="line" stacked={false} height={360} label={`${info.label} by team over time`} partial={c.buckets.map((b) => b.partial)} />
      <ul className="mt-3 flex flex-wrap gap-x-5 gap-y-1 text-sm">
        {c.teams.map((t) => (
          <li key={t.slug} data-series={t.slug} className="whitespace-nowrap">
            <span className="mr-1.5 inline-block h-2.5 w-2.5 rounded-full" data-swatch style={{ background: colors[t.slug] }} aria-hidden />
            <Link className="font-medium hover:underline" href={`/teams/${t.slug}?period=${formatPeriodParam(props.period)}`}>{t.name}</Link>
            {t.total !== null && <span className="text-slate-500"> · {formatMetric(t.total, info.unit)} in the period</span>}
          </li>
        ))}
      </ul>
      <ChartDataTable
        rows={rows}
        series={[...series, ...(smooth ? series.map((s) => ({ ...s, key: averageKey(s.key), label: `${s.label} (7-day avg.)` })) : [])]}
        unit={info.unit}
        caption={`${info.label} by team`}
      />
    </div>
  );
}
