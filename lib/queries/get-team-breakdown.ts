import { bucketsOf, type Bucket, type Grain } from "@/lib/time/buckets";
import type { Period } from "@/lib/time/period";
import { aggregateUsage } from "@/lib/queries/aggregate-usage";
import { getTools, toolIdsFor } from "@/lib/queries/catalog";
import { ZERO, type Sums } from "@/lib/queries/metrics";
import { loadOrg } from "@/lib/queries/org";
import { teamScope } from "@/lib/queries/team-scope";
import { sumsOf } from "@/lib/queries/get-leaderboard";

// Usage split by tool or by model, per day or week and in total: the team page's stacked
// charts, and (without a team) the overview's trend by tool.

export type BreakdownBy = "tool" | "model";

export interface BreakdownSeries {
  key: string;
  label: string;
  /** activeUsers is counted for a team's breakdown only (0 for the whole org). */
  total: Sums;
  /** One entry per bucket, aligned with `buckets`. */
  points: Sums[];
}

export interface TeamBreakdown {
  team: { slug: string; name: string } | null;
  by: BreakdownBy;
  grain: Grain;
  buckets: Bucket[];
  /** Largest total tokens first. */
  series: BreakdownSeries[];
}

export async function getTeamBreakdown(opts: {
  team?: string | null;
  /** Several teams (or groups) together, e.g. the ones compared on the trends page. */
  teams?: string[];
  period: Period;
  by: BreakdownBy;
  grain?: Grain;
  tools?: string[];
  models?: string[];
}): Promise<TeamBreakdown> {
  const grain = opts.grain ?? "day";
  const buckets = bucketsOf(opts.period, grain);
  const [org, tools] = await Promise.all([loadOrg(), getTools()]);
  const scope = opts.team ? teamScope(org, opts.team) : null;
  const teamIds = scope ? scope.teamIds : opts.teams?.length ? [...new Set(opts.teams.flatMap((s) => teamScope(org, s).teamIds))] : null;
  const filter = {
    units: teamIds ? teamIds.map((id) => [id, 0] as const) : undefined,
    toolIds: toolIdsFor(tools, opts.tools),
    models: opts.models?.length ? opts.models : undefined,
  };
  const [perBucket, totals] = await Promise.all([
    // Per bucket only sums are drawn; distinct people are counted for the totals.
    aggregateUsage({ windows: [opts.period], by: [grain, opts.by], ...filter, activeUsers: false, fields: ["tokens", "invocations"] }),
    // Distinct people per tool or model need the fine rollup: counted for one team, not for the whole org.
    aggregateUsage({ windows: [opts.period], by: [opts.by], ...filter, activeUsers: Boolean(teamIds) }),
  ]);
  const toolById = new Map(tools.map((t) => [t.id, t]));
  const keyOf = (r: { toolId?: number; model?: string }) => (opts.by === "tool" ? (toolById.get(r.toolId!)?.slug ?? String(r.toolId)) : r.model!);
  const labelOf = (r: { toolId?: number; model?: string }) =>
    opts.by === "tool" ? (toolById.get(r.toolId!)?.name ?? String(r.toolId)) : r.model || "(no model)";
  const index = new Map(perBucket.map((r) => [`${keyOf(r)}\u0000${r.bucket}`, r]));
  const series = totals
    .map((t) => ({
      key: keyOf(t),
      label: labelOf(t),
      total: sumsOf(t),
      points: buckets.map((b) => {
        const hit = index.get(`${keyOf(t)}\u0000${b.key}`);
        return hit ? sumsOf(hit) : ZERO;
      }),
    }))
    .sort((a, b) => b.total.tokens - a.total.tokens || (a.key < b.key ? -1 : 1));
  return { team: scope ? { slug: scope.team.slug, name: scope.team.name } : null, by: opts.by, grain, buckets, series };
}
