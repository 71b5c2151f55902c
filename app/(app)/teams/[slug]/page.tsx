import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { requireViewer } from "@/lib/auth/viewer";
import { config } from "@/lib/config";
import { formatPeriodParam, periodLabel, periodLength } from "@/lib/time/period";
import { loadOrg } from "@/lib/queries/org";
import { getFilterOptions } from "@/lib/queries/get-filter-options";
import { getLeaderboard } from "@/lib/queries/get-leaderboard";
import { readDashboardParams, resolveParams, type SearchParams } from "@/lib/queries/params";
import { FilterBar } from "@/components/dashboard/filter-bar";
import { PeriodNote } from "@/components/dashboard/period-note";
import { KpiCards, KpiCardsSkeleton } from "@/components/dashboard/kpi-cards";
import { BreakdownChart } from "@/components/dashboard/breakdown-chart";
import { TeamTrendPanels } from "@/components/dashboard/team-trend-panel";
import { PeopleTable } from "@/components/dashboard/people-table";
import { SourcesPanel } from "@/components/dashboard/sources-panel";
import { LeaderboardTable } from "@/components/dashboard/leaderboard-table";
import { GithubOutcomesPanel } from "@/components/dashboard/github-outcomes-panel";
import { Panel, PanelSkeleton, PageHeader } from "@/components/dashboard/ui";
import { GoalsPanel } from "@/components/insights/goals-panel";
import { CohortsPanel } from "@/components/insights/cohorts-panel";

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  return { title: (await params).slug };
}

export default async function TeamPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<SearchParams> }) {
  const viewer = await requireViewer();
  const slug = (await params).slug.toLowerCase();
  const sp = await searchParams;
  const p = resolveParams(readDashboardParams(sp), { tz: config().WAKEBOARD_TZ, grain: undefined });
  const grain = readDashboardParams(sp).grain ?? (periodLength(p.period) > 62 ? "week" : "day");
  const [org, options] = await Promise.all([loadOrg(), getFilterOptions()]);
  const team = org.bySlug.get(slug);
  if (!team) notFound();
  const trail = org.ancestors(team.id).reverse().slice(0, -1).map((id) => org.byId.get(id)!);
  const filter = { period: p.period, tools: p.tools, models: p.models };
  const key = JSON.stringify(sp);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-1 text-sm text-slate-500">
        <ol className="flex flex-wrap gap-1">
          {trail.map((t) => (
            <li key={t.id}>
              <Link className="hover:underline" href={`/teams/${t.slug}?period=${formatPeriodParam(p.period)}`}>{t.name}</Link> <span aria-hidden>/</span>
            </li>
          ))}
        </ol>
      </nav>
      <PageHeader
        title={
          <>
            {team.name}
            {team.archived && <span className="ml-2 rounded bg-slate-200 px-1.5 py-0.5 align-middle text-xs text-slate-600">archived</span>}
            {team.unreviewed && <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 align-middle text-xs text-amber-800">unreviewed</span>}
          </>
        }
        subtitle={`${team.childIds.length ? `Group of ${team.childIds.length} units · ` : ""}${periodLabel(p.period)}`}
      >
        <FilterBar controls={["period", "grain", "tool", "model"]} tools={options.tools} models={options.models} defaults={{ grain }} />
      </PageHeader>

      <PeriodNote sp={sp} period={p.period} />
      <Suspense key={`k${key}`} fallback={<KpiCardsSkeleton />}>
        <KpiCards {...filter} unit={slug} />
      </Suspense>

      <Suspense fallback={null}>
        <GoalsPanel team={slug} viewer={viewer} />
      </Suspense>

      <div className="mt-6">
        <Suspense key={`t${key}`} fallback={<div className="grid gap-4 lg:grid-cols-2"><PanelSkeleton title="Tokens and invocations" /><PanelSkeleton title="Adoption over time" /></div>}>
          <TeamTrendPanels team={slug} grain={grain} {...filter} />
        </Suspense>
      </div>

      <Suspense key={`c${key}`} fallback={<div className="mt-6"><PanelSkeleton title="Adoption cohorts" /></div>}>
        <CohortsPanel team={slug} period={p.period} />
      </Suspense>

      <div className="mt-6 grid gap-4 lg:grid-cols-2">
        <Suspense key={`bt${key}`} fallback={<PanelSkeleton title="By tool" />}>
          <Panel title="By tool" description="Tokens, stacked">
            <BreakdownChart team={slug} by="tool" grain={grain} {...filter} />
          </Panel>
        </Suspense>
        <Suspense key={`bm${key}`} fallback={<PanelSkeleton title="By model" />}>
          <Panel title="By model" description="Tokens, stacked">
            <BreakdownChart team={slug} by="model" grain={grain} {...filter} />
          </Panel>
        </Suspense>
      </div>

      <div className="mt-6">
        <Suspense key={`g${key}`} fallback={<PanelSkeleton title="Outcomes on GitHub" height="h-40" />}>
          <Panel title="Outcomes on GitHub" description="Merged pull requests and commits landed on default branches; AI-assisted by tool (docs/github.md)">
            <GithubOutcomesPanel team={slug} period={p.period} tools={p.tools} />
          </Panel>
        </Suspense>
      </div>

      {team.childIds.length > 0 && (
        <div className="mt-6">
          <Suspense key={`s${key}`} fallback={<PanelSkeleton title="Sub-units" />}>
            <SubUnits slug={slug} sp={sp} />
          </Suspense>
        </div>
      )}

      <div className="mt-6 grid gap-4 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <Suspense key={`p${key}`} fallback={<PanelSkeleton title="People" />}>
            <Panel title="People" description="Members on the period's last day, and anyone who reported for this team">
              <PeopleTable team={slug} period={p.period} viewer={viewer} params={sp} />
            </Panel>
          </Suspense>
        </div>
        <Suspense fallback={<PanelSkeleton title="Sources" height="h-32" />}>
          <Panel title="Sources" description="Last event per tool, and who has ever reported">
            <SourcesPanel team={slug} />
          </Panel>
        </Suspense>
      </div>
    </>
  );
}

async function SubUnits({ slug, sp }: { slug: string; sp: SearchParams }) {
  const p = resolveParams(readDashboardParams(sp), { tz: config().WAKEBOARD_TZ });
  const board = await getLeaderboard({ period: p.period, metric: "tokens", view: "units", unit: slug, tools: p.tools, models: p.models, sparkline: false });
  return (
    <Panel title="Sub-units" description="Each adds up its own teams">
      <LeaderboardTable rows={board.rows.filter((r) => !r.unranked)} metric="tokens" sort="rank" dir="asc" path={`/teams/${slug}`} params={sp} caption="Sub-units by tokens" compact />
    </Panel>
  );
}
