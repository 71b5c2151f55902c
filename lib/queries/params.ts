import { z } from "zod";
import { grainParam } from "@/lib/time/buckets";
import { DEFAULT_PERIOD, periodParam, resolvePeriod, type Period } from "@/lib/time/period";
import { metricParam, type Metric } from "@/lib/queries/metrics";
import type { Grain } from "@/lib/time/buckets";
import type { View } from "@/lib/queries/units";
import type { BreakdownBy } from "@/lib/queries/get-team-breakdown";

// The dashboard's state lives in the URL (DESIGN.md §6). Pages and the JSON API read the
// same parameters through this one schema: pages drop what is invalid and fall back to
// defaults; the API answers 400 with the field errors.

export type SearchParams = Record<string, string | string[] | undefined>;

const slug = z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "must be a slug such as payments");
/** "a,b" or a repeated parameter; empty items dropped. */
const list = (item: z.ZodString) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item).max(50));

export const SORTABLE = ["rank", "team", "tokens", "invocations", "active_users", "adoption", "tokens_per_engineer", "growth", "cost", "headcount"] as const;

export const dashboardParams = z.object({
  period: periodParam.optional(),
  metric: metricParam.optional(),
  view: z.enum(["teams", "units"]).optional(),
  unit: slug.optional(),
  tool: list(slug).optional(),
  model: list(z.string().trim().min(1).max(128)).optional(),
  grain: grainParam.optional(),
  /** Daily lines: the 7-day rolling average (default) or the raw daily values. */
  avg: z.enum(["7d", "off"]).optional(),
  by: z.enum(["tool", "model"]).optional(),
  teams: list(slug).optional(),
  sort: z.enum(SORTABLE).optional(),
  dir: z.enum(["asc", "desc"]).optional(),
});

export type DashboardParams = z.infer<typeof dashboardParams>;
export type SortKey = (typeof SORTABLE)[number];

/**
 * What a page says about a `period` it could not use ("999d"), so a shared link that asks
 * for the impossible is answered in words, not silently with another period.
 */
export function periodNotice(sp: SearchParams): string | null {
  const raw = sp.period;
  if (raw === undefined || raw === "") return null;
  const r = periodParam.safeParse(Array.isArray(raw) ? raw[0] : raw);
  return r.success ? null : `The period “${String(raw)}” ${r.error.issues[0]?.message ?? "is not valid"}; showing the last ${DEFAULT_PERIOD.replace("d", "")} days instead.`;
}

/** Lenient: every invalid or unknown parameter is dropped (for pages and shared links). */
export function readDashboardParams(sp: SearchParams): DashboardParams {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(dashboardParams.shape)) {
    const raw = sp[key];
    if (raw === undefined || raw === "") continue;
    const r = (schema as z.ZodType).safeParse(raw);
    if (r.success && r.data !== undefined) out[key] = r.data;
  }
  return out as DashboardParams;
}

/** Strict: the field errors, for a 400 answer. */
export function parseDashboardParams(sp: SearchParams): { ok: true; value: DashboardParams } | { ok: false; errors: { path: string; message: string }[] } {
  const known = Object.fromEntries(Object.entries(sp).filter(([k, v]) => k in dashboardParams.shape && v !== undefined && v !== ""));
  const r = dashboardParams.safeParse(known);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, errors: r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) };
}

/** URLSearchParams → the record shape pages get (repeated keys become arrays). */
export function searchParamsOf(url: URL): SearchParams {
  const out: SearchParams = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}

export interface Resolved {
  period: Period;
  metric: Metric;
  view: View;
  unit: string | null;
  tools: string[] | undefined;
  models: string[] | undefined;
  grain: Grain;
  by: BreakdownBy;
}

/** Fills the defaults and turns the period into days (today taken in `tz`). */
export function resolveParams(p: DashboardParams, opts: { tz: string; now?: Date; period?: string; grain?: Grain }): Resolved {
  return {
    period: resolvePeriod(p.period ?? opts.period ?? DEFAULT_PERIOD, opts),
    metric: p.metric ?? "tokens",
    view: p.view ?? "teams",
    unit: p.unit ?? null,
    tools: p.tool?.length ? p.tool : undefined,
    models: p.model?.length ? p.model : undefined,
    grain: p.grain ?? opts.grain ?? "day",
    by: p.by ?? "tool",
  };
}
