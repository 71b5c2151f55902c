"use client";

import { Area, Bar, CartesianGrid, Cell, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { averageKey, soFarKey, splitPartial, type ChartRow } from "@/lib/charts/prepare";
import { formatTooltip, formatAxis, type Unit } from "@/lib/charts/format";

// Dumb chart components: they draw rows already shaped by lib/charts/prepare.ts.
// Partial buckets (clipped or still running: "so far") are hatched bars or dashed lines, so
// a half-filled week is never read as a drop. A series may carry a rolling average, drawn
// as a line over it.

export interface ChartSeries {
  key: string;
  label: string;
  color: string;
  /** Draw this series' rolling average (values under averageKey(key) in the rows). */
  average?: boolean;
}

interface ChartProps {
  rows: ChartRow[];
  series: ChartSeries[];
  unit: Unit;
  height?: number;
  kind?: "bar" | "area" | "line";
  stacked?: boolean;
  label: string;
  /** Per row: a partial bucket. */
  partial?: boolean[];
  /** Name of the rolling average in the legend ("7-day average"). */
  averageLabel?: string;
}

export function TimeChart({ rows, series, unit, height = 280, kind = "bar", stacked = true, label, partial = [], averageLabel = "7-day average" }: ChartProps) {
  const lineLike = kind !== "bar";
  const data = lineLike ? splitPartial(rows, series.map((s) => s.key), partial) : rows;
  const hasPartial = partial.some(Boolean);
  return (
    <figure aria-label={label} className="w-full" data-partial={hasPartial ? "true" : undefined}>
      <ResponsiveContainer width="100%" height={height}>
        <ComposedChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} accessibilityLayer>
          <defs>
            {series.map((s) => (
              <pattern key={s.key} id={`hatch-${safeId(s.key)}`} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
                <rect width="6" height="6" fill={s.color} fillOpacity="0.25" />
                <line x1="0" y1="0" x2="0" y2="6" stroke={s.color} strokeWidth="3" />
              </pattern>
            ))}
          </defs>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={{ stroke: "#cbd5e1" }} minTickGap={16} />
          <YAxis tickFormatter={formatAxis(unit)} tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={false} width={56} />
          <Tooltip
            formatter={(v, name) => [formatTooltip(unit)(v), name]}
            labelFormatter={(l) => String(l)}
            contentStyle={{ fontSize: 12, borderRadius: 6 }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((s) =>
            kind === "bar" ? (
              <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} stackId={stacked ? "a" : undefined} isAnimationActive={false} fillOpacity={s.average ? 0.55 : 1}>
                {rows.map((_, i) => (
                  <Cell key={i} fill={partial[i] ? `url(#hatch-${safeId(s.key)})` : s.color} />
                ))}
              </Bar>
            ) : kind === "area" ? (
              <Area key={s.key} dataKey={s.key} name={s.label} stroke={s.color} fill={s.color} fillOpacity={0.25} stackId={stacked ? "a" : undefined} isAnimationActive={false} connectNulls />
            ) : (
              <Line key={s.key} dataKey={s.key} name={s.average ? `${s.label} (daily)` : s.label} stroke={s.color} strokeWidth={s.average ? 1 : 2} strokeOpacity={s.average ? 0.35 : 1} legendType={s.average ? "none" : "line"} dot={!s.average && rows.length <= 14} isAnimationActive={false} connectNulls />
            ),
          )}
          {lineLike &&
            hasPartial &&
            series.map((s) => (
              <Line key={`${s.key}-so-far`} dataKey={soFarKey(s.key)} name={`${s.label} (so far)`} stroke={s.color} strokeWidth={2} strokeDasharray="4 3" dot={false} legendType="none" isAnimationActive={false} />
            ))}
          {series
            .filter((s) => s.average)
            .map((s) => (
              <Line key={`${s.key}-avg`} dataKey={averageKey(s.key)} name={kind === "bar" ? averageLabel : s.label} stroke={s.color} strokeWidth={2.5} dot={false} isAnimationActive={false} connectNulls={false} />
            ))}
        </ComposedChart>
      </ResponsiveContainer>
      {hasPartial && <figcaption className="mt-1 text-xs text-slate-500">Hatched or dashed: a partial {kind === "bar" ? "bucket" : "stretch"} (so far), not a drop.</figcaption>}
    </figure>
  );
}

const safeId = (key: string) => key.replace(/[^a-zA-Z0-9_-]/g, "_");
