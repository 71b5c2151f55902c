import { METRIC_INFO, type Metric } from "@/lib/queries/metrics";
import { formatMetric } from "@/lib/charts/format";
import { STATE_LABEL, goalLabel, type GoalState } from "@/lib/insights/goal-state";
import type { GoalProgress } from "@/lib/insights/goal-progress";

// A goal's state as a small coloured label, and its progress as a bar with the forecast.

const STATE_CLASS: Record<GoalState, string> = {
  on_track: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  met: "bg-emerald-100 text-emerald-900 ring-emerald-300",
  at_risk: "bg-amber-50 text-amber-900 ring-amber-300",
  missed: "bg-rose-50 text-rose-800 ring-rose-300",
};

export function GoalStateBadge({ state }: { state: GoalState | null }) {
  if (!state) return <span className="text-xs text-slate-400">no data</span>;
  return <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${STATE_CLASS[state]}`}>{STATE_LABEL[state]}</span>;
}

export const formatGoalValue = (metric: string, v: number | null) => formatMetric(v, METRIC_INFO[metric as Metric]?.unit ?? "count");

/** "62% now · forecast 104%": the leaderboard's goal cell. */
export function GoalSummary({ goals }: { goals: GoalProgress[] }) {
  if (goals.length === 0) return <span className="text-slate-300">—</span>;
  // The goal that needs attention first.
  const order: (GoalState | null)[] = ["missed", "at_risk", "on_track", "met", null];
  const g = [...goals].sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state))[0];
  const title = goals.map((x) => `${goalLabel(x)} ${formatGoalValue(x.metric, x.value)}: ${formatGoalValue(x.metric, x.actual)} so far, forecast ${formatGoalValue(x.metric, x.forecast)}`).join("\n");
  return (
    <span className="inline-flex items-center gap-1.5 whitespace-nowrap" title={title} data-testid="goal-cell">
      <GoalStateBadge state={g.state} />
      <span className="text-xs text-slate-600">
        {g.progressPct ?? "—"}% · fc {g.forecastPct ?? "—"}%{goals.length > 1 ? ` (+${goals.length - 1})` : ""}
      </span>
    </span>
  );
}

export function GoalBar({ goal }: { goal: GoalProgress }) {
  const max = Math.max(goal.value, goal.forecast ?? 0, goal.actual ?? 0) || 1;
  const pct = (v: number | null) => `${Math.min(100, ((v ?? 0) / max) * 100)}%`;
  const bad = goal.state === "at_risk" || goal.state === "missed";
  return (
    <div className="relative mt-1 h-2.5 w-full rounded-full bg-slate-100" aria-hidden>
      <div className="absolute inset-y-0 left-0 rounded-full bg-brand-200" style={{ width: pct(goal.forecast) }} />
      <div className={`absolute inset-y-0 left-0 rounded-full ${bad ? "bg-amber-500" : "bg-brand-600"}`} style={{ width: pct(goal.actual) }} />
      <div className="absolute -top-0.5 h-3.5 w-0.5 bg-slate-900" style={{ left: pct(goal.value) }} title="Goal" />
    </div>
  );
}
