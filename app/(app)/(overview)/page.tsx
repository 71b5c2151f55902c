import { Suspense } from "react";
import { requireViewer } from "@/lib/auth/viewer";
import { config } from "@/lib/config";
import { inProgress, periodLabel, periodLength, periodRange } from "@/lib/time/period";
import { readDashboardParams, resolveParams, type SearchParams } from "@/lib/queries/params";
import { FilterBar } from "@/components/dashboard/filter-bar";
import { PeriodNote } from "@/components/dashboard/period-note";
import { KpiCards, KpiCardsSkeleton } from "@/components/dashboard/kpi-cards";
import { TopTeams } from "@/components/dashboard/top-teams";
import { BreakdownChart } from "@/components/dashboard/breakdown-chart";
import { PageHeader, Panel, PanelSkeleton } from "@/components/dashboard/ui";

export const metadata = { title: "Overview" };

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireViewer();
  const sp = await searchParams;
  const p = resolveParams(readDashboardParams(sp), { tz: config().WAKEBOARD_TZ });
  const grain = periodLength(p.period) > 62 ? "week" : "day";
  const key = JSON.stringify(sp);
  return (
    <>
      <PageHeader title="Overview" subtitle={`${periodLabel(p.period)} · ${periodRange(p.period)} · ${inProgress(p.period) ? "in progress, so not compared" : `compared with the ${periodLength(p.period)} days before`}`}>
        <FilterBar controls={["period"]} />
      </PageHeader>
      <PeriodNote sp={sp} period={p.period} />
      <Suspense key={`k${key}`} fallback={<KpiCardsSkeleton />}>
        <KpiCards period={p.period} />
      </Suspense>
      <div className="mt-6 grid gap-4 lg:grid-cols-5">
        <div className="lg:col-span-2">
          <Suspense key={`t${key}`} fallback={<PanelSkeleton title="Top 10 teams" height="h-80" />}>
            <Panel title="Top 10 teams" description="By tokens">
              <TopTeams period={p.period} />
            </Panel>
          </Suspense>
        </div>
        <div className="lg:col-span-3">
          <Suspense key={`b${key}`} fallback={<PanelSkeleton title="Usage by tool" height="h-80" />}>
            <Panel title="Usage by tool" description={grain === "week" ? "Tokens per ISO week" : "Tokens per day"}>
              <BreakdownChart period={p.period} by="tool" grain={grain} />
            </Panel>
          </Suspense>
        </div>
      </div>
    </>
  );
}
