import type { Viewer } from "@/lib/auth/viewer";
import { METRIC_INFO } from "@/lib/queries/metrics";
import { loadOrg } from "@/lib/queries/org";
import { FORECAST_METHOD } from "@/lib/insights/forecast";
import { GOAL_METRICS, goalLabel } from "@/lib/insights/goal-state";
import { canManageTeam, goalsWithProgress } from "@/lib/insights/goals";
import { ActionForm } from "@/components/admin/action-form";
import { inputClass, labelClass } from "@/components/admin/styles";
import { Panel } from "@/components/dashboard/ui";
import { GoalBar, GoalStateBadge, formatGoalValue } from "@/components/insights/goal-badge";
import { removeGoalAction, setGoalAction } from "@/app/(app)/goals/actions";

// A team's monthly goals on its page: progress, forecast and state; a form for those who may
// set them (admins and the team's managers).

export async function GoalsPanel({ team, viewer }: { team: string; viewer: Viewer }) {
  const org = await loadOrg();
  const t = org.bySlug.get(team);
  if (!t) return null;
  const goals = await goalsWithProgress([t.id]);
  const manage = canManageTeam(viewer, t.id);
  if (goals.length === 0 && !manage) return null;
  return (
    <div id="goals" className="mt-6">
      <Panel title="Goals this month" description={<>Forecast: {FORECAST_METHOD}</>}>
        {goals.length === 0 ? (
          <p className="text-sm text-slate-500">No goals yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100" aria-label="Goals">
            {goals.map((g) => (
              <li key={g.id} className="py-2" data-goal={`${g.metric}-${g.kind}`}>
                <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 text-sm">
                  <span className="font-medium text-slate-900">{goalLabel(g)}: {formatGoalValue(g.metric, g.value)}</span>
                  <GoalStateBadge state={g.state} />
                  <span className="text-slate-600">
                    {formatGoalValue(g.metric, g.actual)} so far ({g.progressPct ?? "—"}%) · forecast <strong>{formatGoalValue(g.metric, g.forecast)}</strong> ({g.forecastPct ?? "—"}%) by the end of {g.month}
                  </span>
                  {manage && (
                    <ActionForm action={removeGoalAction} submit="Remove" className="ml-auto" buttonClass="text-xs text-slate-500 hover:text-rose-700">
                      <input type="hidden" name="id" value={g.id} />
                    </ActionForm>
                  )}
                </div>
                <GoalBar goal={g} />
              </li>
            ))}
          </ul>
        )}
        {manage && <GoalForm team={team} />}
      </Panel>
    </div>
  );
}

export function GoalForm({ team, teams }: { team?: string; teams?: { slug: string; name: string }[] }) {
  return (
    <ActionForm action={setGoalAction} submit="Set goal" success="Goal saved." className="mt-3 flex flex-wrap items-end gap-2 border-t border-slate-100 pt-3">
      {team ? (
        <input type="hidden" name="team" value={team} />
      ) : (
        <label className={labelClass}>
          Team
          <select name="team" className={inputClass} required>
            {(teams ?? []).map((t) => (
              <option key={t.slug} value={t.slug}>{t.name}</option>
            ))}
          </select>
        </label>
      )}
      <label className={labelClass}>
        Kind
        <select name="kind" className={inputClass} defaultValue="target">
          <option value="target">Target (reach at least)</option>
          <option value="ceiling">Ceiling (cost: stay under)</option>
        </select>
      </label>
      <label className={labelClass}>
        Metric
        <select name="metric" className={inputClass} defaultValue="tokens">
          {GOAL_METRICS.map((m) => (
            <option key={m} value={m}>{METRIC_INFO[m].label}{METRIC_INFO[m].unit === "usd" ? " (USD)" : METRIC_INFO[m].unit === "percent" ? " (%)" : ""}</option>
          ))}
        </select>
      </label>
      <label className={labelClass}>
        Monthly value
        <input name="value" type="number" min="0" step="any" required className={`${inputClass} w-36`} />
      </label>
    </ActionForm>
  );
}
