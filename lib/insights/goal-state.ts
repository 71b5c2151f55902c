import { z } from "zod";
import { METRIC_INFO, type Metric } from "@/lib/queries/metrics";

// What a goal is measured on, and its state from the month's actual and forecast.

/** Metrics a monthly target may be set on (growth is a change, not a monthly amount). */
export const GOAL_METRICS = ["tokens", "invocations", "active_users", "adoption", "cost", "tokens_per_engineer", "invocations_per_engineer", "lines_added", "commits", "pull_requests"] as const satisfies readonly Metric[];
export type GoalMetric = (typeof GOAL_METRICS)[number];
export const goalMetricParam = z.enum(GOAL_METRICS);

/** Ceilings are on cost only: the thing a budget caps. */
export const CEILING_METRICS = ["cost"] as const satisfies readonly GoalMetric[];

export const GOAL_KINDS = ["target", "ceiling"] as const;
export type GoalKind = (typeof GOAL_KINDS)[number];

/** Distinct counts: they do not add up day by day. */
export const DISTINCT_METRICS: GoalMetric[] = ["active_users", "adoption"];

export type GoalState = "on_track" | "at_risk" | "missed" | "met";

export const STATE_LABEL: Record<GoalState, string> = { on_track: "On track", at_risk: "At risk", missed: "Missed", met: "Met" };

export function goalLabel(g: { metric: string; kind: string }): string {
  const label = METRIC_INFO[g.metric as Metric]?.label ?? g.metric;
  return g.kind === "ceiling" ? `${label} ceiling` : `${label} target`;
}

/**
 * A target: met once the actual reaches it; otherwise on track while the forecast reaches it,
 * at risk while it does not, missed when the month ended short. A ceiling: missed as soon as
 * the actual exceeds it, at risk while the forecast exceeds it, met when the month ended under.
 */
export function goalState(kind: GoalKind, value: number, actual: number, forecast: number, monthOver: boolean): GoalState {
  if (kind === "target") {
    if (actual >= value) return "met";
    if (monthOver) return "missed";
    return forecast >= value ? "on_track" : "at_risk";
  }
  if (actual > value) return "missed";
  if (monthOver) return "met";
  return forecast > value ? "at_risk" : "on_track";
}

/** Progress in percent of the goal's value (null when the value is 0). */
export function progressPct(actual: number, value: number): number | null {
  return value > 0 ? Math.round((actual / value) * 1000) / 10 : null;
}
