import { config } from "@/lib/config";
import { addDaysTo } from "@/lib/time/calendar";
import { getTeamTrend } from "@/lib/queries/get-team-trend";
import { getKpis } from "@/lib/queries/get-kpis";
import { METRIC_INFO, type Metric } from "@/lib/queries/metrics";
import { forecastMonth, HISTORY_DAYS } from "@/lib/insights/forecast";
import { monthOf, type MonthWindow } from "@/lib/insights/month";
import { DISTINCT_METRICS, goalState, progressPct, type GoalKind, type GoalMetric, type GoalState } from "@/lib/insights/goal-state";

// A team's goals this month: actual, forecast, progress and state. Figures come only from
// the dashboard's query functions (getTeamTrend for daily sums, getKpis for distinct
// counts), so a goal never disagrees with the team page.

export interface GoalInput {
  id: number;
  teamId: number;
  metric: string;
  kind: string;
  value: number;
}

export interface GoalProgress extends GoalInput {
  month: string;
  actual: number | null;
  forecast: number | null;
  progressPct: number | null;
  forecastPct: number | null;
  state: GoalState | null;
}

/** Progress of several goals of one team (slug), reading the team's figures once. */
export async function teamGoalProgress(slug: string, goals: GoalInput[], now = new Date()): Promise<GoalProgress[]> {
  if (goals.length === 0) return [];
  const tz = config().WAKEBOARD_TZ;
  const m = monthOf(now, tz);
  const metrics = new Set(goals.map((g) => g.metric as GoalMetric));
  const needsDaily = [...metrics].some((x) => !DISTINCT_METRICS.includes(x));
  const needsDistinct = [...metrics].some((x) => DISTINCT_METRICS.includes(x));
  const [trend, kpiMonth, kpi28] = await Promise.all([
    needsDaily ? getTeamTrend({ team: slug, period: { kind: "range", from: addDaysTo(m.today, -HISTORY_DAYS), to: m.today, today: m.today }, grain: "day" }) : null,
    needsDistinct ? getKpis({ period: { kind: "range", from: m.start, to: m.today, today: m.today }, unit: slug }) : null,
    needsDistinct ? getKpis({ period: { kind: "range", from: addDaysTo(m.today, -28), to: addDaysTo(m.today, -1), today: m.today }, unit: slug }) : null,
  ]);
  const headcount = trend?.points.at(-1)?.headcount ?? kpiMonth?.headcount ?? 0;
  return goals.map((g) => {
    const figures = figuresOf(g.metric as GoalMetric, m, trend, kpiMonth, kpi28, headcount);
    const state = figures.actual === null || figures.forecast === null ? null : goalState(g.kind as GoalKind, g.value, figures.actual, figures.forecast, false);
    return {
      ...g,
      month: m.month,
      ...figures,
      progressPct: figures.actual === null ? null : progressPct(figures.actual, g.value),
      forecastPct: figures.forecast === null ? null : progressPct(figures.forecast, g.value),
      state,
    };
  });
}

type Trend = Awaited<ReturnType<typeof getTeamTrend>>;
type Kpis = Awaited<ReturnType<typeof getKpis>>;

function figuresOf(metric: GoalMetric, m: MonthWindow, trend: Trend | null, kpiMonth: Kpis | null, kpi28: Kpis | null, headcount: number): { actual: number | null; forecast: number | null } {
  if (metric === "active_users" || metric === "adoption") {
    const pick = (k: Kpis | null) => (metric === "adoption" ? k?.adoptionPct.value : k?.activeUsers.value) ?? null;
    const actual = pick(kpiMonth);
    const recent = pick(kpi28);
    return { actual, forecast: actual === null ? null : Math.max(actual, recent ?? 0) };
  }
  const perEngineer = metric === "tokens_per_engineer" || metric === "invocations_per_engineer";
  const base = METRIC_INFO[metric as Metric].base;
  // Goal metrics are usage metrics; GitHub bases (docs/github.md) are not in trend points, so they read 0.
  const daily = new Map((trend?.points ?? []).map((p) => [p.key, (p as unknown as Partial<Record<string, number>>)[base] ?? 0]));
  const f = forecastMonth({ daily, start: m.start, end: m.end, today: m.today });
  if (!perEngineer) return { actual: f.actual, forecast: f.forecast };
  if (headcount <= 0) return { actual: null, forecast: null };
  const round1 = (x: number) => Math.round(x * 10) / 10;
  return { actual: round1(f.actual / headcount), forecast: round1(f.forecast / headcount) };
}
