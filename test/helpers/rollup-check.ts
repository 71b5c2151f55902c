import { Prisma } from "@/lib/generated/prisma/client";
import { withMaintenanceDb, type Db } from "@/lib/db/client";

// Every rollup recomputed from raw usage_events with SQL written here, independently of
// lib/rollups, and compared row by row: the number of rows that differ, per table.
// (Active = invocations or tokens > 0 on the person's day, person known.)

export interface RollupDifferences {
  daily_usage: number;
  daily_team_usage: number;
  daily_team_totals: number;
  person_activity: number;
  person_tool_activity: number;
}

const SUMS = Prisma.sql`count(*)::bigint AS events, sum(invocations)::bigint AS invocations, sum(input_tokens)::bigint AS input_tokens,
  sum(output_tokens)::bigint AS output_tokens, sum(cache_read_tokens)::bigint AS cache_read_tokens,
  sum(cache_write_tokens)::bigint AS cache_write_tokens, coalesce(sum(cost_usd), 0)::numeric AS cost_usd,
  coalesce(sum(lines_added), 0)::bigint AS lines_added, coalesce(sum(commits), 0)::bigint AS commits`;
const COLS = Prisma.sql`events::bigint, invocations::bigint, input_tokens::bigint, output_tokens::bigint, cache_read_tokens::bigint,
  cache_write_tokens::bigint, cost_usd::numeric, lines_added::bigint, commits::bigint`;

export async function rollupDifferences(tz = "UTC"): Promise<RollupDifferences> {
  // Over a million events the comparison outlasts the pool's statement timeout.
  return withMaintenanceDb((prisma) => differences(prisma, tz));
}

async function differences(prisma: Db, tz: string): Promise<RollupDifferences> {
  const diff = async (raw: Prisma.Sql, rollup: Prisma.Sql) => {
    const [r] = await prisma.$queryRaw<{ n: number }[]>`
      WITH e AS (SELECT *, (occurred_at AT TIME ZONE ${tz})::date AS d FROM usage_events), raw AS (${raw}), rol AS (${rollup})
      SELECT ((SELECT count(*) FROM (SELECT * FROM raw EXCEPT ALL SELECT * FROM rol) a) + (SELECT count(*) FROM (SELECT * FROM rol EXCEPT ALL SELECT * FROM raw) b))::int AS n`;
    return r.n;
  };
  // A person's active days: days on which their events (per team, or per team and tool) had usage.
  const activeDays = (keys: Prisma.Sql) =>
    Prisma.sql`SELECT date_trunc('month', d)::date AS month, ${keys}, sum(DISTINCT (1 << (extract(day FROM d)::int - 1)))::int AS days
     FROM (SELECT d, ${keys} FROM e WHERE person_id IS NOT NULL GROUP BY d, ${keys}
           HAVING sum(invocations) > 0 OR sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens) > 0) x
     GROUP BY 1, ${keys}`;
  return {
    daily_usage: await diff(
      Prisma.sql`SELECT d AS day, team_id, coalesce(person_id, 0) AS person_id, tool_id, model, ${SUMS} FROM e GROUP BY 1, 2, 3, 4, 5`,
      Prisma.sql`SELECT day, team_id, person_id, tool_id, model, ${COLS} FROM daily_usage`,
    ),
    daily_team_usage: await diff(Prisma.sql`SELECT d AS day, team_id, tool_id, model, ${SUMS} FROM e GROUP BY 1, 2, 3, 4`, Prisma.sql`SELECT day, team_id, tool_id, model, ${COLS} FROM daily_team_usage`),
    daily_team_totals: await diff(Prisma.sql`SELECT d AS day, team_id, ${SUMS} FROM e GROUP BY 1, 2`, Prisma.sql`SELECT day, team_id, ${COLS} FROM daily_team_totals`),
    person_activity: await diff(activeDays(Prisma.sql`team_id, person_id`), Prisma.sql`SELECT month, team_id, person_id, days FROM person_activity`),
    person_tool_activity: await diff(activeDays(Prisma.sql`team_id, tool_id, person_id`), Prisma.sql`SELECT month, team_id, tool_id, person_id, days FROM person_tool_activity`),
  };
}

export const NO_DIFFERENCES: RollupDifferences = { daily_usage: 0, daily_team_usage: 0, daily_team_totals: 0, person_activity: 0, person_tool_activity: 0 };
