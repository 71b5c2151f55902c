import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import type { IsoDate } from "@/lib/time/calendar";
import type { Sums } from "@/lib/queries/metrics";

// The one SQL path every figure comes from: sums over the daily rollup for one or more
// windows of days, optionally mapped team → org unit (so a group can add up its sub-teams)
// and split by tool, model, person or day/week bucket. Active users are counted distinct
// inside each output row, never added up across rows.

export type Dimension = "tool" | "model" | "person" | "day" | "week";

export interface AggregateOptions {
  /** Closed ranges of days; each output row says which window (index) it belongs to. */
  windows: { from: IsoDate; to: IsoDate }[];
  /**
   * team → unit pairs; teams not listed are left out. A team may feed several units (a
   * group compared with one of its own teams). Omitted: every team, as unit 0.
   */
  units?: Iterable<readonly [number, number]>;
  by?: Dimension[];
  toolIds?: number[];
  models?: string[];
}

export interface AggregateRow extends Sums {
  window: number;
  unitId: number;
  toolId?: number;
  model?: string;
  personId?: number;
  /** The day, or the Monday of the ISO week. */
  bucket?: IsoDate;
}

// Fixed column expressions, chosen by name: no caller text ever reaches the SQL.
const DIMENSION_SQL: Record<Dimension, Prisma.Sql> = {
  tool: Prisma.sql`d.tool_id`,
  model: Prisma.sql`d.model`,
  person: Prisma.sql`d.person_id`,
  day: Prisma.sql`d.day::text`,
  week: Prisma.sql`date_trunc('week', d.day)::date::text`,
};

interface RawRow {
  w: number;
  unit_id: number;
  dims: (number | string)[] | null;
  events: number;
  invocations: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cost_usd: number;
  lines_added: number;
  lines_removed: number;
  commits: number;
  pull_requests: number;
  active_users: number;
}

export async function aggregateUsage(opts: AggregateOptions): Promise<AggregateRow[]> {
  if (opts.windows.length === 0) return [];
  const pairs = opts.units ? [...opts.units] : null;
  if (pairs && pairs.length === 0) return [];
  const by = opts.by ?? [];
  const min = opts.windows.reduce((m, w) => (w.from < m ? w.from : m), opts.windows[0].from);
  const max = opts.windows.reduce((m, w) => (w.to > m ? w.to : m), opts.windows[0].to);

  const unitJoin = pairs
    ? Prisma.sql`JOIN unnest(${pairs.map((p) => p[0])}::int[], ${pairs.map((p) => p[1])}::int[]) AS u(team_id, unit_id) ON u.team_id = d.team_id`
    : Prisma.empty;
  const unitCol = pairs ? Prisma.sql`u.unit_id` : Prisma.sql`0`;
  const filters: Prisma.Sql[] = [Prisma.sql`d.day BETWEEN ${min}::date AND ${max}::date`];
  if (opts.toolIds) filters.push(Prisma.sql`d.tool_id = ANY(${opts.toolIds}::int[])`);
  if (opts.models) filters.push(Prisma.sql`d.model = ANY(${opts.models}::text[])`);
  // Dimensions travel as one text array so the row shape stays fixed.
  const dims = by.length ? Prisma.sql`ARRAY[${Prisma.join(by.map((b) => Prisma.sql`(${DIMENSION_SQL[b]})::text`))}]` : Prisma.sql`NULL::text[]`;
  const groupDims = by.length ? Prisma.sql`, ${Prisma.join(by.map((b) => DIMENSION_SQL[b]))}` : Prisma.empty;

  const prisma = await db();
  const rows = await prisma.$queryRaw<RawRow[]>`
    SELECT w.i::int AS w, ${unitCol}::int AS unit_id, ${dims} AS dims,
      sum(d.events)::float8 AS events,
      sum(d.invocations)::float8 AS invocations,
      sum(d.input_tokens)::float8 AS input_tokens,
      sum(d.output_tokens)::float8 AS output_tokens,
      sum(d.cache_read_tokens)::float8 AS cache_read_tokens,
      sum(d.cache_write_tokens)::float8 AS cache_write_tokens,
      sum(d.cost_usd)::float8 AS cost_usd,
      sum(d.lines_added)::float8 AS lines_added,
      sum(d.lines_removed)::float8 AS lines_removed,
      sum(d.commits)::float8 AS commits,
      sum(d.pull_requests)::float8 AS pull_requests,
      count(DISTINCT d.person_id) FILTER (WHERE d.person_id <> 0 AND (d.invocations > 0
        OR d.input_tokens + d.output_tokens + d.cache_read_tokens + d.cache_write_tokens > 0))::int AS active_users
    FROM daily_usage d
    ${unitJoin}
    JOIN unnest(${opts.windows.map((w) => w.from)}::date[], ${opts.windows.map((w) => w.to)}::date[])
      WITH ORDINALITY AS w(d0, d1, i) ON d.day BETWEEN w.d0 AND w.d1
    WHERE ${Prisma.join(filters, " AND ")}
    GROUP BY 1, 2${groupDims}`;

  return rows.map((r) => {
    const out: AggregateRow = {
      window: r.w - 1,
      unitId: r.unit_id,
      events: r.events,
      invocations: r.invocations,
      inputTokens: r.input_tokens,
      outputTokens: r.output_tokens,
      cacheReadTokens: r.cache_read_tokens,
      cacheWriteTokens: r.cache_write_tokens,
      tokens: r.input_tokens + r.output_tokens + r.cache_read_tokens + r.cache_write_tokens,
      costUsd: r.cost_usd,
      linesAdded: r.lines_added,
      linesRemoved: r.lines_removed,
      commits: r.commits,
      pullRequests: r.pull_requests,
      activeUsers: r.active_users,
    };
    by.forEach((b, i) => {
      const v = r.dims![i] as string;
      if (b === "tool") out.toolId = Number(v);
      else if (b === "model") out.model = v;
      else if (b === "person") out.personId = Number(v);
      else out.bucket = v;
    });
    return out;
  });
}
