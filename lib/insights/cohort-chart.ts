import { toChartRows, type ChartRow } from "@/lib/charts/prepare";
import { BUCKETS, type AdoptionCohorts } from "@/lib/queries/get-adoption-cohorts";

// Cohorts shaped for the charts: people per bucket per ISO week (stacked), and the week's
// movement between buckets (up as a positive bar, down as a negative one).

export const BUCKET_COLORS: Record<(typeof BUCKETS)[number], string> = { none: "#cbd5e1", light: "#93c5fd", moderate: "#3b82f6", heavy: "#1e3a8a" };

export function cohortRows(c: AdoptionCohorts): { buckets: ChartRow[]; movement: ChartRow[] } {
  const labels = c.weeks.map((w) => w.week);
  return {
    buckets: toChartRows(labels, BUCKETS.map((b) => ({ key: b, label: b, values: c.weeks.map((w) => w.counts[b]) }))),
    // The first week has no week before it inside the period: no movement drawn.
    movement: toChartRows(labels, [
      { key: "up", label: "moved up", values: c.weeks.map((w, i) => (i === 0 ? null : w.up)) },
      { key: "down", label: "moved down", values: c.weeks.map((w, i) => (i === 0 ? null : -w.down)) },
    ]),
  };
}
