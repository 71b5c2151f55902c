import Link from "next/link";
import { requireViewer } from "@/lib/auth/viewer";
import { loadOrg } from "@/lib/queries/org";
import { FORECAST_METHOD } from "@/lib/insights/forecast";
import { goalLabel } from "@/lib/insights/goal-state";
import { canManageTeam, goalsWithProgress } from "@/lib/insights/goals";
import { EmptyState, PageHeader, Panel } from "@/components/dashboard/ui";
import { TableHead } from "@/components/admin/table-head";
import { GoalBar, GoalStateBadge, formatGoalValue } from "@/components/insights/goal-badge";
import { GoalForm } from "@/components/insights/goals-panel";

export const metadata = { title: "Goals" };

export default async function GoalsPage() {
  const viewer = await requireViewer();
  const [org, goals] = await Promise.all([loadOrg(), goalsWithProgress()]);
  const manageable = org.teams.filter((t) => !t.archived && canManageTeam(viewer, t.id)).sort((a, b) => a.path.localeCompare(b.path));
  return (
    <>
      <PageHeader title="Goals" subtitle="Each team's monthly targets and cost ceilings: progress this month, the forecast for its end, and the state." />
      {manageable.length > 0 && (
        <Panel title="Set a goal" description="Setting a goal again for the same team, metric and kind replaces its value. It applies every month until removed.">
          <GoalForm teams={manageable.map((t) => ({ slug: t.slug, name: `${t.name} (${t.path})` }))} />
        </Panel>
      )}
      <div className="mt-6">
        {goals.length === 0 ? (
          <EmptyState title="No goals yet">{manageable.length ? "Set one above, or on a team's page." : "Admins and team managers set goals."}</EmptyState>
        ) : (
          <Panel title={`This month (${goals[0].month})`} description={<>Forecast: {FORECAST_METHOD} See docs/alerts.md.</>}>
            <table className="w-full text-left text-sm tabular-nums" data-testid="goals">
              <TableHead columns={["Team", "Goal", "So far", "Forecast", "State", "Progress"]} />
              <tbody>
                {goals.map((g) => {
                  const team = org.byId.get(g.teamId);
                  return (
                    <tr key={g.id} className="border-b border-slate-100">
                      <td className="py-2 pr-3 font-medium">{team ? <Link className="hover:underline" href={`/teams/${team.slug}#goals`}>{team.name}</Link> : g.teamId}</td>
                      <td className="py-2 pr-3">{goalLabel(g)}: {formatGoalValue(g.metric, g.value)}</td>
                      <td className="py-2 pr-3">{formatGoalValue(g.metric, g.actual)} ({g.progressPct ?? "—"}%)</td>
                      <td className="py-2 pr-3">{formatGoalValue(g.metric, g.forecast)} ({g.forecastPct ?? "—"}%)</td>
                      <td className="py-2 pr-3"><GoalStateBadge state={g.state} /></td>
                      <td className="w-48 py-2"><GoalBar goal={g} /></td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </Panel>
        )}
      </div>
    </>
  );
}
