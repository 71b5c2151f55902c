import type { Sums } from "@/lib/queries/metrics";

// Pure "prepare" functions: query results in, the rows Recharts draws out. The chart
// components only draw what these return.

export type ChartRow = { label: string } & Record<string, number | string | null>;

export interface SeriesInput {
  key: string;
  label: string;
  values: (number | null)[];
}

/** One row per bucket with one column per series: the shape of stacked and line charts. */
export function toChartRows(labels: string[], series: SeriesInput[]): ChartRow[] {
  return labels.map((label, i) => {
    const row: ChartRow = { label };
    for (const s of series) row[s.key] = s.values[i] ?? null;
    return row;
  });
}

/**
 * Keeps the `max` largest series and folds the rest into one "Other" series, so a stacked
 * chart stays readable with many models.
 */
export function topSeries<T extends { key: string; label: string; total: Sums; points: Sums[] }>(
  series: T[],
  field: keyof Sums,
  max = 6,
): SeriesInput[] {
  const sorted = [...series].sort((a, b) => b.total[field] - a.total[field]);
  const head = sorted.slice(0, max).map((s) => ({ key: s.key, label: s.label, values: s.points.map((p) => p[field]) }));
  const rest = sorted.slice(max);
  if (rest.length === 0) return head;
  const n = rest[0].points.length;
  const values = Array.from({ length: n }, (_, i) => rest.reduce((sum, s) => sum + s.points[i][field], 0));
  return [...head, { key: "__other", label: `Other (${rest.length})`, values }];
}

/** An SVG polyline for a sparkline in a `width` × `height` box (flat line when all zero). */
export function sparklinePoints(values: number[], width: number, height: number, pad = 1): string {
  if (values.length === 0) return "";
  const max = Math.max(...values);
  const min = Math.min(0, ...values);
  const span = max - min || 1;
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  return values
    .map((v, i) => {
      const x = pad + i * step;
      const y = height - pad - ((v - min) / span) * (height - 2 * pad);
      return `${round(x)},${round(y)}`;
    })
    .join(" ");
}

const round = (x: number) => Math.round(x * 10) / 10;
