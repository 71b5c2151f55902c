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
  return sparklineXY(values, width, height, pad).join(" ");
}

/**
 * A sparkline split where buckets are partial (clipped or still running, at either edge):
 * `solid` joins the complete buckets, `dashed` the stretches that lead into partial ones, so
 * a half-filled last week reads as "so far", not as a drop.
 */
export function sparklineParts(values: number[], partial: boolean[] | undefined, width: number, height: number, pad = 1): { solid: string; dashed: string[] } {
  const xy = sparklineXY(values, width, height, pad);
  const complete = xy.map((_, i) => !partial?.[i]);
  const first = complete.indexOf(true);
  const last = complete.lastIndexOf(true);
  if (first === -1) return { solid: "", dashed: xy.length ? [xy.join(" ")] : [] };
  const dashed: string[] = [];
  if (first > 0) dashed.push(xy.slice(0, first + 1).join(" "));
  if (last < xy.length - 1) dashed.push(xy.slice(last).join(" "));
  return { solid: xy.slice(first, last + 1).join(" "), dashed };
}

function sparklineXY(values: number[], width: number, height: number, pad: number): string[] {
  if (values.length === 0) return [];
  const max = Math.max(...values);
  const min = Math.min(0, ...values);
  const span = max - min || 1;
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  return values
    .map((v, i) => {
      const x = pad + i * step;
      const y = height - pad - ((v - min) / span) * (height - 2 * pad);
      return `${round(x)},${round(y)}`;
    });
}

const round = (x: number) => Math.round(x * 10) / 10;

/** The key of a series' dashed continuation into partial buckets. */
export const soFarKey = (key: string) => `${key}__so_far`;
/** The key of a series' rolling average. */
export const averageKey = (key: string) => `${key}__avg`;

/**
 * Moves the values of partial buckets (clipped or still running) of each series to its "so
 * far" twin, which the chart draws dashed; the twin also holds the neighbouring complete
 * value so the dashed stretch joins the solid line.
 */
export function splitPartial(rows: ChartRow[], keys: string[], partial: boolean[]): ChartRow[] {
  if (!partial.some(Boolean)) return rows;
  return rows.map((row, i) => {
    const out: ChartRow = { ...row };
    const touches = partial[i] || (partial[i - 1] ?? false) || (partial[i + 1] ?? false);
    for (const k of keys) {
      out[soFarKey(k)] = touches ? (row[k] ?? null) : null;
      if (partial[i]) out[k] = null;
    }
    return out;
  });
}

/**
 * Trailing average over `window` buckets. `values` starts with `lead` extra buckets before
 * the period (so its first day has a full window); the result has one entry per bucket of
 * the period. A window with any missing value (a partial day, an undefined ratio) is null.
 */
export function rollingAverage(values: (number | null)[], window = 7, lead = window - 1): (number | null)[] {
  const out: (number | null)[] = [];
  for (let i = lead; i < values.length; i++) {
    const slice = values.slice(Math.max(0, i - window + 1), i + 1);
    if (slice.length < window || slice.some((v) => v === null)) out.push(null);
    else out.push(Math.round(((slice as number[]).reduce((a, b) => a + b, 0) / window) * 10) / 10);
  }
  return out;
}
