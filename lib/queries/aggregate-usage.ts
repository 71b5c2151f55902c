import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { bucketsOf } from "@/lib/time/buckets";
import { eachDay, type IsoDate } from "@/lib/time/calendar";
import type { Sums } from "@/lib/queries/metrics";
import { activePerson } from "@/lib/rules/active-person";

// The one SQL path every figure comes from: sums over the rollups for one or more windows of
// days, optionally mapped team → org unit (so a group can add up its sub-teams) and split by
// tool, model, person or day/week bucket. Active users are counted distinct inside each
// output row, never added up across rows.
//
// Which rollup answers: sums come from daily_team_totals (per day and team), or from
// daily_team_usage (per day, team, tool, model) when a tool or model is filtered or split
// on, or from daily_usage when people are a dimension. Distinct active people come from
// person_activity (a bitmap of active days per person and month), from person_tool_activity
// (the same per tool) under a tool filter, and from the fine daily_usage only when a model
// is filtered or people are split by tool or model. The ingest statement writes them all.

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
  /** Count distinct active people (default true); skip it where only sums are drawn. */
  activeUsers?: boolean;
  /** Only these sums (others come back 0): each value costs time to bring over. */
  fields?: SumField[];
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
  events?: number;
  invocations?: number;
  input_tokens?: number;
  output_tokens?: number;
  cache_read_tokens?: number;
  cache_write_tokens?: number;
  tokens?: number;
  cost_usd?: number;
  lines_added?: number;
  lines_removed?: number;
  commits?: number;
  pull_requests?: number;
  active_users?: number;
}

export type SumField = Exclude<keyof Sums, "activeUsers">;

// One summed column per field; `tokens` is summed in SQL as one column when asked for alone.
const SUM_SQL: Record<SumField, Prisma.Sql> = {
  events: Prisma.sql`sum(d.events)::float8 AS events`,
  invocations: Prisma.sql`sum(d.invocations)::float8 AS invocations`,
  inputTokens: Prisma.sql`sum(d.input_tokens)::float8 AS input_tokens`,
  outputTokens: Prisma.sql`sum(d.output_tokens)::float8 AS output_tokens`,
  cacheReadTokens: Prisma.sql`sum(d.cache_read_tokens)::float8 AS cache_read_tokens`,
  cacheWriteTokens: Prisma.sql`sum(d.cache_write_tokens)::float8 AS cache_write_tokens`,
  tokens: Prisma.sql`sum(d.input_tokens + d.output_tokens + d.cache_read_tokens + d.cache_write_tokens)::float8 AS tokens`,
  costUsd: Prisma.sql`sum(d.cost_usd)::float8 AS cost_usd`,
  linesAdded: Prisma.sql`sum(d.lines_added)::float8 AS lines_added`,
  linesRemoved: Prisma.sql`sum(d.lines_removed)::float8 AS lines_removed`,
  commits: Prisma.sql`sum(d.commits)::float8 AS commits`,
  pullRequests: Prisma.sql`sum(d.pull_requests)::float8 AS pull_requests`,
};
const ALL_FIELDS: SumField[] = ["events", "invocations", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costUsd", "linesAdded", "linesRemoved", "commits", "pullRequests"];

function sumsSql(fields: SumField[] | undefined): Prisma.Sql {
  return Prisma.join((fields ?? ALL_FIELDS).map((f) => SUM_SQL[f]));
}

const ACTIVE = Prisma.sql`count(DISTINCT d.person_id) FILTER (WHERE ${activePerson("d")})::int`;

// Output names for dimensions in the two-level active-people query (fixed fragments).
const DIM_ALIAS = [Prisma.sql`dim0`, Prisma.sql`dim1`, Prisma.sql`dim2`, Prisma.sql`dim3`, Prisma.sql`dim4`];

interface Plan {
  pairs: (readonly [number, number])[] | null;
  by: Dimension[];
  min: IsoDate;
  max: IsoDate;
}

/**
 * Runs a query and brings its rows back as one JSON text: Prisma converts every value of
 * every row one by one, which for a few thousand rows costs more than the query itself.
 * (Numbers are float8 or int already, so JSON keeps them exact.)
 */
async function packed(query: Prisma.Sql): Promise<RawRow[]> {
  const prisma = await db();
  const [r] = await prisma.$queryRaw<{ rows: string }[]>`SELECT coalesce(json_agg(q), '[]')::text AS rows FROM (${query}) q`;
  return JSON.parse(r.rows) as RawRow[];
}

function unitJoin(pairs: Plan["pairs"], alias: Prisma.Sql) {
  return pairs
    ? Prisma.sql`JOIN unnest(${pairs.map((p) => p[0])}::int[], ${pairs.map((p) => p[1])}::int[]) AS u(team_id, unit_id) ON u.team_id = ${alias}.team_id`
    : Prisma.empty;
}

/** One statement over daily_usage or daily_team_usage: sums, and (fine only) active people. */
type Table = "daily_usage" | "daily_team_usage" | "daily_team_totals";
const TABLE_SQL: Record<Table, Prisma.Sql> = {
  daily_usage: Prisma.sql`daily_usage d`,
  daily_team_usage: Prisma.sql`daily_team_usage d`,
  daily_team_totals: Prisma.sql`daily_team_totals d`,
};

async function rollupQuery(opts: AggregateOptions, plan: Plan, table: Table, withSums: boolean, withActive: boolean): Promise<RawRow[]> {
  const unitCol = plan.pairs ? Prisma.sql`u.unit_id` : Prisma.sql`0`;
  const filters: Prisma.Sql[] = [Prisma.sql`d.day BETWEEN ${plan.min}::date AND ${plan.max}::date`];
  if (opts.toolIds) filters.push(Prisma.sql`d.tool_id = ANY(${opts.toolIds}::int[])`);
  if (opts.models) filters.push(Prisma.sql`d.model = ANY(${opts.models}::text[])`);
  // Dimensions travel as one text array so the row shape stays fixed.
  const dims = plan.by.length ? Prisma.sql`ARRAY[${Prisma.join(plan.by.map((b) => Prisma.sql`(${DIMENSION_SQL[b]})::text`))}]` : Prisma.sql`NULL::text[]`;
  const groupDims = plan.by.length ? Prisma.sql`, ${Prisma.join(plan.by.map((b) => DIMENSION_SQL[b]))}` : Prisma.empty;
  const from = TABLE_SQL[table];
  if (withActive && !withSums) {
    // Active people only: distinct by grouping twice (hashable) rather than count(DISTINCT …).
    const aliases = plan.by.map((_, i) => DIM_ALIAS[i]);
    const dimCols = plan.by.map((b, i) => Prisma.sql`${DIMENSION_SQL[b]} AS ${aliases[i]}`);
    const more = (list: Prisma.Sql[]) => (list.length ? Prisma.sql`, ${Prisma.join(list)}` : Prisma.empty);
    return packed(Prisma.sql`
      SELECT wi AS w, unit_id, ${plan.by.length ? Prisma.sql`ARRAY[${Prisma.join(aliases.map((a) => Prisma.sql`${a}::text`))}]` : Prisma.sql`NULL::text[]`} AS dims,
        count(*)::int AS active_users
      FROM (
        SELECT w.i::int AS wi, ${unitCol}::int AS unit_id${more(dimCols)}, d.person_id
        FROM ${from}
        ${unitJoin(plan.pairs, Prisma.sql`d`)}
        JOIN unnest(${opts.windows.map((w) => w.from)}::date[], ${opts.windows.map((w) => w.to)}::date[])
          WITH ORDINALITY AS w(d0, d1, i) ON d.day BETWEEN w.d0 AND w.d1
        WHERE ${Prisma.join(filters, " AND ")} AND ${activePerson("d")}
        GROUP BY wi, unit_id${more(aliases)}, d.person_id
      ) people
      GROUP BY wi, unit_id${more(aliases)}`);
  }
  const columns = [withSums ? sumsSql(opts.fields) : null, withActive ? Prisma.sql`${ACTIVE} AS active_users` : null].filter((c): c is Prisma.Sql => c !== null);
  return packed(Prisma.sql`
    SELECT w.i::int AS w, ${unitCol}::int AS unit_id, ${dims} AS dims, ${Prisma.join(columns)}
    FROM ${from}
    ${unitJoin(plan.pairs, Prisma.sql`d`)}
    JOIN unnest(${opts.windows.map((w) => w.from)}::date[], ${opts.windows.map((w) => w.to)}::date[])
      WITH ORDINALITY AS w(d0, d1, i) ON d.day BETWEEN w.d0 AND w.d1
    WHERE ${Prisma.join(filters, " AND ")}
    GROUP BY 1, 2${groupDims}`);
}

interface Slice {
  w: number;
  bucket: IsoDate | null;
  month: IsoDate;
  mask: number;
}

/** Month rows and day masks covering each window (or each bucket of it). */
export function activitySlices(windows: { from: IsoDate; to: IsoDate }[], grain: "day" | "week" | null): Slice[] {
  const out: Slice[] = [];
  windows.forEach((w, i) => {
    const parts = grain ? bucketsOf(w, grain).map((b) => ({ key: b.key as IsoDate | null, from: b.from, to: b.to })) : [{ key: null, from: w.from, to: w.to }];
    for (const part of parts) {
      const masks = new Map<IsoDate, number>();
      for (const day of eachDay(part.from, part.to)) {
        const month = `${day.slice(0, 7)}-01`;
        masks.set(month, (masks.get(month) ?? 0) | (1 << (Number(day.slice(8, 10)) - 1)));
      }
      for (const [month, mask] of masks) out.push({ w: i + 1, bucket: part.key, month, mask });
    }
  });
  return out;
}

/** Distinct active people from the monthly activity bitmaps (no model in play; tools filtered per tool). */
async function activityQuery(opts: AggregateOptions, plan: Plan): Promise<RawRow[]> {
  const grain = plan.by.includes("day") ? "day" : plan.by.includes("week") ? "week" : null;
  const slices = activitySlices(opts.windows, grain);
  const unitCol = plan.pairs ? Prisma.sql`u.unit_id` : Prisma.sql`0`;
  const table = opts.toolIds ? Prisma.sql`person_tool_activity a` : Prisma.sql`person_activity a`;
  const toolFilter = opts.toolIds ? Prisma.sql`AND a.tool_id = ANY(${opts.toolIds}::int[])` : Prisma.empty;
  const monthsFilter = Prisma.sql`a.month = ANY(${[...new Set(slices.map((s) => s.month))]}::date[]) ${toolFilter}`;
  const sliceJoin = Prisma.sql`JOIN unnest(${slices.map((s) => s.w)}::int[], ${slices.map((s) => s.bucket)}::text[], ${slices.map((s) => s.month)}::date[], ${slices.map((s) => s.mask)}::int[])
        AS s(w, bucket, month, mask) ON a.month = s.month AND (a.days & s.mask) <> 0`;
  // Day slices lie in one month, so when each unit is one team and each person has one row
  // per team and month, the rows are already distinct people: count them (daily sparklines).
  const oneRowPerPerson =
    grain === "day" && plan.pairs !== null && new Set(plan.pairs.map((p) => p[1])).size === plan.pairs.length && (!opts.toolIds || opts.toolIds.length === 1);
  if (oneRowPerPerson) {
    return packed(Prisma.sql`
      SELECT s.w::int AS w, u.unit_id::int AS unit_id, ARRAY[s.bucket] AS dims, count(*)::int AS active_users
      FROM ${table}
      ${unitJoin(plan.pairs, Prisma.sql`a`)}
      ${sliceJoin}
      WHERE ${monthsFilter}
      GROUP BY s.w, u.unit_id, s.bucket`);
  }
  // Distinct by grouping twice (hashable) rather than count(DISTINCT …), which always sorts.
  return packed(Prisma.sql`
    SELECT w, unit_id, CASE WHEN bucket IS NULL THEN NULL::text[] ELSE ARRAY[bucket] END AS dims, count(*)::int AS active_users
    FROM (
      SELECT s.w::int AS w, ${unitCol}::int AS unit_id, s.bucket, a.person_id
      FROM ${table}
      ${unitJoin(plan.pairs, Prisma.sql`a`)}
      ${sliceJoin}
      WHERE ${monthsFilter}
      GROUP BY 1, 2, 3, 4
    ) people
    GROUP BY w, unit_id, bucket`);
}

export async function aggregateUsage(opts: AggregateOptions): Promise<AggregateRow[]> {
  if (opts.windows.length === 0) return [];
  const pairs = opts.units ? [...opts.units] : null;
  if (pairs && pairs.length === 0) return [];
  const by = opts.by ?? [];
  const plan: Plan = {
    pairs,
    by,
    min: opts.windows.reduce((m, w) => (w.from < m ? w.from : m), opts.windows[0].from),
    max: opts.windows.reduce((m, w) => (w.to > m ? w.to : m), opts.windows[0].to),
  };
  const wantActive = opts.activeUsers !== false;
  let rows: RawRow[];
  if (by.includes("person")) rows = await rollupQuery(opts, plan, "daily_usage", true, wantActive);
  else {
    const byToolOrModel = Boolean(opts.toolIds || opts.models || by.includes("tool") || by.includes("model"));
    // A tool filter alone is answered by the per-tool bitmaps; models need the fine rollup.
    const fineActive = Boolean(opts.models || by.includes("tool") || by.includes("model"));
    const wantSums = !opts.fields || opts.fields.length > 0;
    const [sums, active] = await Promise.all([
      wantSums ? rollupQuery(opts, plan, byToolOrModel ? "daily_team_usage" : "daily_team_totals", true, false) : [],
      !wantActive ? [] : fineActive ? rollupQuery(opts, plan, "daily_usage", false, true) : activityQuery(opts, plan),
    ]);
    if (!wantSums) rows = active;
    else {
      const key = (r: RawRow) => `${r.w}|${r.unit_id}|${r.dims?.join("|") ?? ""}`;
      const people = new Map(active.map((r) => [key(r), r.active_users]));
      rows = sums.map((r) => ({ ...r, active_users: people.get(key(r)) ?? 0 }));
    }
  }
  return rows.map((r) => toRow(r, by));
}

function toRow(r: RawRow, by: Dimension[]): AggregateRow {
  const out: AggregateRow = {
    window: r.w - 1,
    unitId: r.unit_id,
    events: r.events ?? 0,
    invocations: r.invocations ?? 0,
    inputTokens: r.input_tokens ?? 0,
    outputTokens: r.output_tokens ?? 0,
    cacheReadTokens: r.cache_read_tokens ?? 0,
    cacheWriteTokens: r.cache_write_tokens ?? 0,
    tokens: r.tokens ?? (r.input_tokens ?? 0) + (r.output_tokens ?? 0) + (r.cache_read_tokens ?? 0) + (r.cache_write_tokens ?? 0),
    costUsd: r.cost_usd ?? 0,
    linesAdded: r.lines_added ?? 0,
    linesRemoved: r.lines_removed ?? 0,
    commits: r.commits ?? 0,
    pullRequests: r.pull_requests ?? 0,
    activeUsers: r.active_users ?? 0,
  };
  by.forEach((b, i) => {
    const v = r.dims![i] as string;
    if (b === "tool") out.toolId = Number(v);
    else if (b === "model") out.model = v;
    else if (b === "person") out.personId = Number(v);
    else out.bucket = v;
  });
  return out;
}
