import { sparklineParts } from "@/lib/charts/prepare";
import { formatCompact } from "@/lib/charts/format";

/**
 * A tiny inline trend line, drawn on the server (no client JavaScript). Partial buckets (a
 * clipped or still-running week) are drawn dashed and named "so far" in the label.
 */
export function Sparkline({ values, partial, color = "#475569", label }: { values: number[]; partial?: boolean[]; color?: string; label: string }) {
  if (values.length === 0) return null;
  const w = 96;
  const h = 24;
  const max = Math.max(...values);
  const { solid, dashed } = sparklineParts(values, partial, w, h, 2);
  const lastPartial = partial?.[values.length - 1] ? " (last bucket so far)" : "";
  return (
    <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${label}: from ${formatCompact(values[0])} to ${formatCompact(values.at(-1))}${lastPartial}, peak ${formatCompact(max)}`}>
      <title>{`${label} — peak ${formatCompact(max)}${lastPartial}`}</title>
      {solid && <polyline fill="none" stroke={color} strokeWidth="1.5" strokeLinejoin="round" strokeLinecap="round" points={solid} />}
      {dashed.map((pts, i) => (
        <polyline key={i} data-partial fill="none" stroke={color} strokeOpacity="0.6" strokeWidth="1.5" strokeDasharray="2 2" strokeLinecap="round" points={pts} />
      ))}
    </svg>
  );
}
