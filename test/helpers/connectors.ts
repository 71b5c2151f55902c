import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { addDays, utcDay } from "@/lib/connectors/days";
import { drainQueue } from "@/lib/rollups/drain";

// Shared by the connector tests: the people of a fixture as Wakeboard knows them, the last N
// complete UTC days, and every rollup's totals per team and day (to compare with a fixture's
// own sums, and to see that nothing moves).

export function lastDays(n: number, now = new Date()): string[] {
  const last = addDays(utcDay(now), -1);
  return Array.from({ length: n }, (_, i) => addDays(last, i - n + 1));
}

export async function createPeople(people: { email: string; team: string; identity?: { kind: string; value: string } }[]): Promise<void> {
  const prisma = await db();
  for (const p of people) {
    const team = await prisma.team.upsert({ where: { slug: p.team }, create: { slug: p.team, name: p.team }, update: {} });
    await prisma.person.create({
      data: {
        email: p.email,
        name: p.email.split("@")[0],
        teamId: team.id,
        memberships: { create: [{ teamId: team.id, validFrom: new Date("2020-01-01T00:00:00Z") }] },
        identities: p.identity ? { create: [p.identity] } : undefined,
      },
    });
  }
}

export interface TeamDay {
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
}

type Row = { team: string; day: string } & TeamDay;

const toMap = (rows: Row[]) => new Map(rows.map(({ team, day, ...v }) => [`${team}|${day}`, v]));

/** Per team and day from each rollup and from raw events: the four must agree. */
export async function totalsEverywhere(tool?: string): Promise<{ raw: Map<string, TeamDay>; daily: Map<string, TeamDay>; teamUsage: Map<string, TeamDay>; teamTotals: Map<string, TeamDay> }> {
  await drainQueue();
  const prisma = await db();
  // Constant column lists only (never input), so Prisma.raw is safe here; the tool is bound.
  const cols = Prisma.raw(
    ["events", "invocations", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "lines_added", "lines_removed", "commits", "pull_requests"]
      .map((c) => `sum(x.${c})::float8 AS ${c}`)
      .join(", ") + ", round(sum(x.cost_usd), 6)::float8 AS cost_usd",
  );
  const toolFilter = tool ? Prisma.sql`AND x.tool_id = (SELECT id FROM tools WHERE slug = ${tool})` : Prisma.empty;
  const raw = await prisma.$queryRaw<Row[]>`
    SELECT t.slug AS team, (x.occurred_at AT TIME ZONE 'UTC')::date::text AS day, count(*)::float8 AS events, sum(x.invocations)::float8 AS invocations,
      sum(x.input_tokens)::float8 AS input_tokens, sum(x.output_tokens)::float8 AS output_tokens, sum(x.cache_read_tokens)::float8 AS cache_read_tokens,
      sum(x.cache_write_tokens)::float8 AS cache_write_tokens, coalesce(sum(x.lines_added), 0)::float8 AS lines_added, coalesce(sum(x.lines_removed), 0)::float8 AS lines_removed,
      coalesce(sum(x.commits), 0)::float8 AS commits, coalesce(sum(x.pull_requests), 0)::float8 AS pull_requests, round(coalesce(sum(x.cost_usd), 0), 6)::float8 AS cost_usd
    FROM usage_events x JOIN teams t ON t.id = x.team_id WHERE true ${toolFilter} GROUP BY 1, 2`;
  const daily = await prisma.$queryRaw<Row[]>`SELECT t.slug AS team, x.day::text AS day, ${cols} FROM daily_usage x JOIN teams t ON t.id = x.team_id WHERE true ${toolFilter} GROUP BY 1, 2 HAVING sum(x.events) <> 0`;
  const teamUsage = await prisma.$queryRaw<Row[]>`SELECT t.slug AS team, x.day::text AS day, ${cols} FROM daily_team_usage x JOIN teams t ON t.id = x.team_id WHERE true ${toolFilter} GROUP BY 1, 2 HAVING sum(x.events) <> 0`;
  const teamTotals = tool ? teamUsage : await prisma.$queryRaw<Row[]>`SELECT t.slug AS team, x.day::text AS day, ${cols} FROM daily_team_totals x JOIN teams t ON t.id = x.team_id GROUP BY 1, 2 HAVING sum(x.events) <> 0`;
  return { raw: toMap(raw), daily: toMap(daily), teamUsage: toMap(teamUsage), teamTotals: toMap(teamTotals) };
}

/** Everything a run could move, for "a pull that changed nothing moved nothing". */
export async function snapshot(): Promise<string> {
  await drainQueue();
  const prisma = await db();
  const parts = await Promise.all([
    prisma.$queryRaw`SELECT row_to_json(x)::text AS j FROM usage_events x ORDER BY event_id`,
    prisma.$queryRaw`SELECT row_to_json(x)::text AS j FROM daily_usage x ORDER BY 1`,
    prisma.$queryRaw`SELECT row_to_json(x)::text AS j FROM daily_team_usage x ORDER BY 1`,
    prisma.$queryRaw`SELECT row_to_json(x)::text AS j FROM daily_team_totals x ORDER BY 1`,
    prisma.$queryRaw`SELECT row_to_json(x)::text AS j FROM person_activity x ORDER BY 1`,
    prisma.$queryRaw`SELECT row_to_json(x)::text AS j FROM person_tool_activity x ORDER BY 1`,
    prisma.$queryRaw`SELECT row_to_json(x)::text AS j FROM connector_records x ORDER BY 1`,
  ]);
  return JSON.stringify(parts);
}
