import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import type { Grain } from "@/lib/time/buckets";
import type { IsoDate } from "@/lib/time/calendar";
import { aggregateUsage, type SumField } from "@/lib/queries/aggregate-usage";
import { githubSums, GITHUB_ZERO, type GithubSums } from "@/lib/queries/github-sums";

// One counter per unit and day (or week), for the leaderboard's sparklines. Values come back
// packed as one array per unit: 200 teams × 30 days as 6,000 rows cost more to bring over
// than to compute. Distinct active people per day go through aggregateUsage.

const COLUMN: Record<SumField, Prisma.Sql> = {
  events: Prisma.sql`d.events`,
  invocations: Prisma.sql`d.invocations`,
  inputTokens: Prisma.sql`d.input_tokens`,
  outputTokens: Prisma.sql`d.output_tokens`,
  cacheReadTokens: Prisma.sql`d.cache_read_tokens`,
  cacheWriteTokens: Prisma.sql`d.cache_write_tokens`,
  tokens: Prisma.sql`d.input_tokens + d.output_tokens + d.cache_read_tokens + d.cache_write_tokens`,
  costUsd: Prisma.sql`d.cost_usd`,
  linesAdded: Prisma.sql`d.lines_added`,
  linesRemoved: Prisma.sql`d.lines_removed`,
  commits: Prisma.sql`d.commits`,
  pullRequests: Prisma.sql`d.pull_requests`,
};

export interface SparklineOptions {
  window: { from: IsoDate; to: IsoDate };
  grain: Grain;
  units: Map<number, number>;
  field: SumField | "activeUsers" | keyof GithubSums;
  toolIds?: number[];
  models?: string[];
}

/** unit id → bucket key (day, or Monday of the week) → value; absent buckets are 0. */
export async function sparklineSeries(opts: SparklineOptions): Promise<Map<number, Map<IsoDate, number>>> {
  const out = new Map<number, Map<IsoDate, number>>();
  if (opts.units.size === 0) return out;
  if (opts.field in GITHUB_ZERO) {
    const field = opts.field as keyof GithubSums;
    for (const r of await githubSums({ windows: [opts.window], units: opts.units, toolIds: opts.toolIds, by: opts.grain })) {
      if (!out.has(r.unitId)) out.set(r.unitId, new Map());
      out.get(r.unitId)!.set(r.bucket!, r[field]);
    }
    return out;
  }
  if (opts.field === "activeUsers") {
    const rows = await aggregateUsage({ windows: [opts.window], units: opts.units, by: [opts.grain], toolIds: opts.toolIds, models: opts.models, fields: [] });
    for (const r of rows) {
      if (!out.has(r.unitId)) out.set(r.unitId, new Map());
      out.get(r.unitId)!.set(r.bucket!, r.activeUsers);
    }
    return out;
  }
  const field = opts.field as SumField;
  const filtered = Boolean(opts.toolIds || opts.models);
  const table = filtered ? Prisma.sql`daily_team_usage d` : Prisma.sql`daily_team_totals d`;
  const bucket = opts.grain === "day" ? Prisma.sql`d.day` : Prisma.sql`date_trunc('week', d.day)::date`;
  const filters: Prisma.Sql[] = [Prisma.sql`d.day BETWEEN ${opts.window.from}::date AND ${opts.window.to}::date`];
  if (opts.toolIds) filters.push(Prisma.sql`d.tool_id = ANY(${opts.toolIds}::int[])`);
  if (opts.models) filters.push(Prisma.sql`d.model = ANY(${opts.models}::text[])`);
  const prisma = await db();
  const rows = await prisma.$queryRaw<{ unit_id: number; buckets: string[]; vals: number[] }[]>`
    SELECT unit_id, array_agg(bucket ORDER BY bucket) AS buckets, array_agg(v ORDER BY bucket) AS vals
    FROM (
      SELECT u.unit_id, (${bucket})::text AS bucket, sum(${COLUMN[field]})::float8 AS v
      FROM ${table}
      JOIN unnest(${[...opts.units.keys()]}::int[], ${[...opts.units.values()]}::int[]) AS u(team_id, unit_id) ON u.team_id = d.team_id
      WHERE ${Prisma.join(filters, " AND ")}
      GROUP BY 1, 2
    ) x
    GROUP BY unit_id`;
  for (const r of rows) out.set(r.unit_id, new Map(r.buckets.map((b, i) => [b, r.vals[i]])));
  return out;
}
