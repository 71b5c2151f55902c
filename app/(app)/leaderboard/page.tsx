import { Suspense } from "react";
import { requireViewer } from "@/lib/auth/viewer";
import { config } from "@/lib/config";
import { periodLabel } from "@/lib/time/period";
import { getLeaderboard } from "@/lib/queries/get-leaderboard";
import { getFilterOptions } from "@/lib/queries/get-filter-options";
import { METRIC_INFO } from "@/lib/queries/metrics";
import { NotFoundError } from "@/lib/queries/errors";
import { readDashboardParams, resolveParams, type SearchParams } from "@/lib/queries/params";
import { sortLeaderboard } from "@/lib/queries/sort-leaderboard";
import { FilterBar } from "@/components/dashboard/filter-bar";
import { PeriodNote } from "@/components/dashboard/period-note";
import { LeaderboardTable } from "@/components/dashboard/leaderboard-table";
import { UnassignedNote } from "@/components/dashboard/unassigned-note";
import { EmptyState, PageHeader, PanelSkeleton } from "@/components/dashboard/ui";
import { goalsByTeam } from "@/lib/insights/goals";
import { GoalSummary } from "@/components/insights/goal-badge";

export const metadata = { title: "Leaderboard" };

export default async function LeaderboardPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireViewer();
  const sp = await searchParams;
  const params = readDashboardParams(sp);
  const p = resolveParams(params, { tz: config().WAKEBOARD_TZ });
  const options = await getFilterOptions();
  const filters = [p.tools?.length ? `${p.tools.length} tool${p.tools.length > 1 ? "s" : ""}` : null, p.models?.length ? `${p.models.length} model${p.models.length > 1 ? "s" : ""}` : null].filter(Boolean);
  return (
    <>
      <PageHeader
        title="Leaderboard"
        subtitle={`${p.view === "units" ? "Org units" : "Teams"} ranked by ${METRIC_INFO[p.metric].label.toLowerCase()} · ${periodLabel(p.period)}${filters.length ? ` · ${filters.join(", ")}` : ""}`}
      >
        <FilterBar controls={["period", "metric", "view", "unit", "tool", "model"]} metrics={options.metrics} units={options.units} tools={options.tools} models={options.models} />
      </PageHeader>
      <PeriodNote sp={sp} period={p.period} />
      <Suspense key={JSON.stringify(sp)} fallback={<PanelSkeleton title="Ranking" height="h-[28rem]" />}>
        <Ranking params={params} sp={sp} />
      </Suspense>
    </>
  );
}

async function Ranking({ params, sp }: { params: ReturnType<typeof readDashboardParams>; sp: SearchParams }) {
  const p = resolveParams(params, { tz: config().WAKEBOARD_TZ });
  let board;
  try {
    board = await getLeaderboard({ period: p.period, metric: p.metric, view: p.view, unit: p.unit, tools: p.tools, models: p.models });
  } catch (e) {
    if (e instanceof NotFoundError) return <EmptyState title={`No org unit “${e.slug}”`}>Pick another unit above.</EmptyState>;
    throw e;
  }
  if (board.rows.length === 0) return <EmptyState title="No teams yet">Teams appear here once they exist or report usage.</EmptyState>;
  const sort = params.sort ?? "rank";
  const dir = params.dir ?? (sort === "rank" || sort === "team" ? "asc" : "desc");
  const ranked = board.rows.filter((r) => !r.unranked);
  const rows = sortLeaderboard(ranked, sort, dir);
  const unused = ranked.filter((r) => r.tokens === 0 && r.invocations === 0).length;
  const goals = await goalsByTeam(ranked.map((r) => r.teamId));
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-2 shadow-sm" aria-label="Ranking">
      <LeaderboardTable
        rows={rows}
        metric={board.metric}
        sort={sort}
        dir={dir}
        path="/leaderboard"
        sparkGrain={board.sparkGrain}
        sparkPartial={board.sparkPartial}
        params={sp}
        extra={goals.size ? { label: "Goal (month)", cell: (r) => <GoalSummary goals={goals.get(r.teamId) ?? []} /> } : undefined}
        caption={`${board.view === "units" ? "Org units" : "Teams"} by ${METRIC_INFO[board.metric].label}, ${periodLabel(board.period)}`}
      />
      <UnassignedNote rows={board.rows} />
      <p className="px-3 py-2 text-xs text-slate-500">
        Rank change and growth compare with <span className="whitespace-nowrap">{board.previous.from} – {board.previous.to}</span>, only for teams whose data covers
        that whole period (hover a “—” for the reason). Ties share a rank (1, 2, 2, 4).{board.sparkPartial.some(Boolean) && " Dashed sparkline ends are partial weeks (so far)."}
        {unused > 0 && ` ${unused} ${unused === 1 ? "team has" : "teams have"} no usage in this period — check their sources before reading that as “not using”.`}
      </p>
    </section>
  );
}
