"use client";

import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ChartRow } from "@/lib/charts/prepare";
import { formatCompact, formatExact, formatMetric } from "@/lib/charts/format";

// Dumb chart components: they draw rows already shaped by lib/charts/prepare.ts.

export interface ChartSeries {
  key: string;
  label: string;
  color: string;
}

type Unit = "count" | "tokens" | "percent" | "usd";

interface ChartProps {
  rows: ChartRow[];
  series: ChartSeries[];
  unit: Unit;
  height?: number;
  kind?: "bar" | "area" | "line";
  stacked?: boolean;
  label: string;
}

const exact = (unit: Unit) => (v: unknown) => (typeof v === "number" ? (unit === "percent" || unit === "usd" ? formatMetric(v, unit) : formatExact(v)) : "—");
const short = (unit: Unit) => (v: number) => (unit === "percent" ? `${v}%` : unit === "usd" ? `$${formatCompact(v)}` : formatCompact(v));

export function TimeChart({ rows, series, unit, height = 280, kind = "bar", stacked = true, label }: ChartProps) {
  const common = {
    data: rows,
    margin: { top: 8, right: 12, bottom: 0, left: 0 },
    accessibilityLayer: true,
  };
  const axes = (
    <>
      <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
      <XAxis dataKey="label" tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={{ stroke: "#cbd5e1" }} minTickGap={16} />
      <YAxis tickFormatter={short(unit)} tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={false} width={56} />
      <Tooltip formatter={(v, name) => [exact(unit)(v), name]} contentStyle={{ fontSize: 12, borderRadius: 6 }} />
      <Legend wrapperStyle={{ fontSize: 12 }} />
    </>
  );
  return (
    <figure aria-label={label} className="w-full">
      <ResponsiveContainer width="100%" height={height}>
        {kind === "bar" ? (
          <BarChart {...common}>
            {axes}
            {series.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} stackId={stacked ? "a" : undefined} isAnimationActive={false} />
            ))}
          </BarChart>
        ) : kind === "area" ? (
          <AreaChart {...common}>
            {axes}
            {series.map((s) => (
              <Area key={s.key} dataKey={s.key} name={s.label} stroke={s.color} fill={s.color} fillOpacity={0.25} stackId={stacked ? "a" : undefined} isAnimationActive={false} connectNulls />
            ))}
          </AreaChart>
        ) : (
          <LineChart {...common}>
            {axes}
            {series.map((s) => (
              <Line key={s.key} dataKey={s.key} name={s.label} stroke={s.color} strokeWidth={2} dot={rows.length <= 14} isAnimationActive={false} connectNulls />
            ))}
          </LineChart>
        )}
      </ResponsiveContainer>
    </figure>
  );
}
