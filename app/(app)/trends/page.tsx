import { Suspense } from "react";
import { requireViewer } from "@/lib/auth/viewer";
import { config } from "@/lib/config";
import { periodLabel, periodLength } from "@/lib/time/period";
import { MAX_COMPARED } from "@/lib/queries/compare-teams";
import { getFilterOptions } from "@/lib/queries/get-filter-options";
import { getLeaderboard } from "@/lib/queries/get-leaderboard";
import { METRIC_INFO } from "@/lib/queries/metrics";
import { readDashboardParams, resolveParams, type SearchParams } from "@/lib/queries/params";
import { FilterBar } from "@/components/dashboard/filter-bar";
import { PeriodNote } from "@/components/dashboard/period-note";
import { ComparisonChart } from "@/components/dashboard/comparison-chart";
import { BreakdownChart } from "@/components/dashboard/breakdown-chart";
import { EmptyState, PageHeader, Panel, PanelSkeleton } from "@/components/dashboard/ui";

export const metadata = { title: "Trends" };

export default async function TrendsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireViewer();
  const sp = await searchParams;
  const params = readDashboardParams(sp);
  const p = resolveParams(params, { tz: config().WAKEBOARD_TZ });
  const grain = params.grain ?? (periodLength(p.period) > 62 ? "week" : "day");
  const options = await getFilterOptions();
  const known = new Set(options.teams.map((t) => t.value));
  const chosen = (params.teams ?? []).filter((s) => known.has(s)).slice(0, MAX_COMPARED);
  return (
    <>
      <PageHeader title="Trends" subtitle={`Compare up to ${MAX_COMPARED} teams on ${METRIC_INFO[p.metric].label.toLowerCase()} · ${periodLabel(p.period)}`}>
        <FilterBar
          controls={["teams", "metric", "period", "grain", "avg", "tool", "model"]}
          teams={options.teams}
          maxTeams={MAX_COMPARED}
          metrics={options.metrics}
          tools={options.tools}
          models={options.models}
          defaults={{ grain }}
        />
      </PageHeader>
      <PeriodNote sp={sp} period={p.period} />
      <Suspense key={JSON.stringify(sp)} fallback={<PanelSkeleton title="Comparison" height="h-96" />}>
        <Comparison chosen={chosen} sp={sp} grain={grain} />
      </Suspense>
    </>
  );
}

async function Comparison({ chosen, sp, grain }: { chosen: string[]; sp: SearchParams; grain: "day" | "week" }) {
  const p = resolveParams(readDashboardParams(sp), { tz: config().WAKEBOARD_TZ });
  let teams = chosen;
  let note = "";
  if (teams.length === 0) {
    // Nothing picked yet: start from the five busiest teams, and say so.
    const board = await getLeaderboard({ period: p.period, metric: "tokens", sparkline: false });
    teams = board.rows.filter((r) => r.tokens > 0 && !r.unranked).slice(0, 5).map((r) => r.slug);
    note = "Showing the five teams with the most tokens; pick teams above to compare others.";
  }
  if (teams.length === 0) return <EmptyState title="No usage in this period">Pick another period, or connect a tool first.</EmptyState>;
  const smooth = readDashboardParams(sp).avg !== "off";
  return (
    <>
      <Panel title="Comparison" description={`${note || `${teams.length} teams`}${grain === "day" && smooth ? " · lines are 7-day averages, daily values faint behind" : ""}`}>
        <ComparisonChart teams={teams} period={p.period} metric={p.metric} grain={grain} tools={p.tools} models={p.models} smooth={smooth} />
      </Panel>
      <div className="mt-6">
        <Panel title="Usage by tool" description="Tokens of the compared teams together, stacked by tool">
          <BreakdownChart teams={teams} by="tool" grain={grain} period={p.period} tools={p.tools} models={p.models} />
        </Panel>
      </div>
    </>
  );
}
