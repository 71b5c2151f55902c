// Numbers for people: compact on screen ("1.2M tokens"), exact on hover (title attribute).

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const exact = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 2 });
const usdCompact = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", notation: "compact", maximumFractionDigits: 1 });

export const EMPTY = "—";

export function formatCompact(n: number | null | undefined): string {
  return n === null || n === undefined ? EMPTY : compact.format(n);
}

export function formatExact(n: number | null | undefined): string {
  return n === null || n === undefined ? EMPTY : exact.format(n);
}

export function formatUsd(n: number | null | undefined, short = false): string {
  if (n === null || n === undefined) return EMPTY;
  return short && Math.abs(n) >= 10_000 ? usdCompact.format(n) : usd.format(n);
}

export function formatPct(n: number | null | undefined): string {
  return n === null || n === undefined ? EMPTY : `${n.toFixed(1)}%`;
}

/** "+12.5%" / "−3.0%" for changes; empty when undefined. */
export function formatChange(n: number | null | undefined): string {
  if (n === null || n === undefined) return EMPTY;
  return `${n > 0 ? "+" : n < 0 ? "−" : "±"}${Math.abs(n).toFixed(1)}%`;
}

/** A value in the unit a metric is measured in. */
export function formatMetric(n: number | null | undefined, unit: "count" | "tokens" | "percent" | "usd"): string {
  if (unit === "percent") return formatPct(n);
  if (unit === "usd") return formatUsd(n, true);
  return formatCompact(n);
}

export type Unit = "count" | "tokens" | "percent" | "usd";

const compact2 = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 2 });

/** Axis ticks: "2.5M", "40%", "$1.2K". */
export function formatAxis(unit: Unit): (v: number) => string {
  return (v) => (unit === "percent" ? `${v}%` : unit === "usd" ? `$${formatCompact(v)}` : formatCompact(v));
}

/**
 * Tooltip values in the axis' own units, with the unit named: "2.56M tokens" beside an axis
 * in M (not "2,555,171"); exact figures are in the chart's data table.
 */
export function formatTooltip(unit: Unit): (v: unknown) => string {
  return (v) => {
    if (typeof v !== "number") return EMPTY;
    if (unit === "percent") return formatPct(v);
    if (unit === "usd") return Math.abs(v) >= 10_000 ? `$${compact2.format(v)}` : formatUsd(v);
    return unit === "tokens" ? `${compact2.format(v)} tokens` : compact2.format(v);
  };
}
