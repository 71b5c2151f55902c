import { sparklinePoints } from "@/lib/charts/prepare";
import { formatCompact } from "@/lib/charts/format";

/** A tiny inline trend line, drawn on the server (no client JavaScript). */
export function Sparkline({ values, color = "#0369a8", label }: { values: number[]; color?: string; label: string }) {
  if (values.length === 0) return null;
  const w = 96;
  const h = 24;
  const max = Math.max(...values);
  return (
    <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${label}: from ${formatCompact(values[0])} to ${formatCompact(values.at(-1))}, peak ${formatCompact(max)}`}>
      <title>{`${label} — peak ${formatCompact(max)}`}</title>
      <polyline fill="none" stroke={color} strokeWidth="1.5" strokeLinejoin="round" strokeLinecap="round" points={sparklinePoints(values, w, h, 2)} />
    </svg>
  );
}
