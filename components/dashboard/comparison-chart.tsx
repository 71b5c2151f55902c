import { compareTeams } from "@/lib/queries/compare-teams";
import { METRIC_INFO, type Metric } from "@/lib/queries/metrics";
import { colorsFor } from "@/lib/charts/colors";
import { toChartRows } from "@/lib/charts/prepare";
import { formatMetric } from "@/lib/charts/format";
import type { Grain } from "@/lib/time/buckets";
import type { Period } from "@/lib/time/period";
import { TimeChart } from "@/components/dashboard/charts";
import { ChartDataTable } from "@/components/dashboard/data-table";
import { EmptyState } from "@/components/dashboard/ui";

/** Up to 10 teams on one metric over time, one line each. */
export async function ComparisonChart(props: { teams: string[]; period: Period; metric: Metric; grain: Grain; tools?: string[]; models?: string[] }) {
  if (props.teams.length === 0) return <EmptyState title="Pick teams to compare" />;
  const c = await compareTeams(props);
  const info = METRIC_INFO[props.metric];
  const colors = colorsFor(c.teams.map((t) => t.slug));
  const series = c.teams.map((t) => ({ key: t.slug, label: t.name, color: colors[t.slug] }));
  const rows = toChartRows(c.buckets.map((b) => b.label), c.teams.map((t) => ({ key: t.slug, label: t.name, values: t.values })));
  return (
    <div>
      <TimeChart rows={rows} series={series} unit={info.unit} kind="line" stacked={false} height={360} label={`${info.label} by team over time`} />
      <ul className="mt-3 flex flex-wrap gap-x-5 gap-y-1 text-sm">
        {c.teams.map((t) => (
          <li key={t.slug}>
            <span className="mr-1.5 inline-block h-2.5 w-2.5 rounded-full" style={{ background: colors[t.slug] }} aria-hidden />
            <a className="font-medium hover:underline" href={`/teams/${t.slug}`}>{t.name}</a>
            {t.total !== null && <span className="text-slate-500"> · {formatMetric(t.total, info.unit)} in the period</span>}
          </li>
        ))}
      </ul>
      <ChartDataTable rows={rows} series={series} unit={info.unit} caption={`${info.label} by team`} />
    </div>
  );
}
