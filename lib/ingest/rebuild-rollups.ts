import { Prisma } from "@/lib/generated/prisma/client";
import { withMaintenanceDb, type Db } from "@/lib/db/client";
import { config } from "@/lib/config";
import { addDaysTo, dayStart, type IsoDate } from "@/lib/time/calendar";
import { UNASSIGNED } from "@/lib/ingest/resolve";
import { personTeamAt } from "@/lib/rules/member-at";
import { QUEUE_COLUMNS, contribution } from "@/lib/rollups/contribution";
import { DRAIN_BATCH, DRAIN_LOCK, drainBatch } from "@/lib/rollups/drain";

// `rollups rebuild [--reattribute]` (DESIGN.md §9): recompute every rollup from raw events,
// after a change of WAKEBOARD_TZ or a repair. With `reattribute`, first give events the
// person an admin mapped later (by the user the event reported), and re-resolve the team of
// events that landed in `unassigned` or in their key's team only because their person was
// unknown — by the same rule as ingest: the person's team at the event's time, else their
// current team.
//
// It runs one month at a time, each in its own transaction without a statement timeout,
// through the same SQL as the aggregator: the month's queue rows and rollup rows are
// deleted and the month's raw events enqueued again in ONE statement (one snapshot: an
// event is either in that scan and its queue row deleted, or committed later and its queue
// row kept), then drained. Ingest never waits for it; the aggregator waits for the month
// in progress only (both hold the drain lock).

export interface RebuildResult {
  personsLinked: number;
  teamsChanged: number;
  months: number;
  rollupRows: number;
  ms: number;
}

/** The first day of the month after `month` (a YYYY-MM-01 date). */
function nextMonth(month: IsoDate): IsoDate {
  const [y, m] = month.split("-").map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
}

const LONG = { timeout: 60 * 60_000, maxWait: 60_000 };

/**
 * `onMonth` runs inside each month's transaction, once the month's events are enqueued again
 * and before they are drained (progress output; tests ingest there to show ingest is not held).
 */
export async function rebuildRollups(opts: { reattribute?: boolean; onMonth?: (month: IsoDate) => void | Promise<void> } = {}): Promise<RebuildResult> {
  const started = Date.now();
  return withMaintenanceDb((prisma) => rebuild(prisma, opts, started));
}

async function rebuild(prisma: Db, opts: Parameters<typeof rebuildRollups>[0] & object, started: number): Promise<RebuildResult> {
  const tz = config().WAKEBOARD_TZ;
  const linked = opts.reattribute ? await prisma.$transaction((tx) => reattribute(tx), LONG) : { personsLinked: 0, teamsChanged: 0 };
  const months = await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SET LOCAL statement_timeout = 0`;
    return tx.$queryRaw<{ month: string }[]>`
      WITH bounds AS (
        SELECT (min(occurred_at) AT TIME ZONE ${tz})::date AS lo, (max(occurred_at) AT TIME ZONE ${tz})::date AS hi FROM usage_events
        UNION ALL SELECT min(day), max(day) FROM daily_usage
        UNION ALL SELECT min(day), max(day) FROM daily_team_totals
        UNION ALL SELECT min(day), max(day) FROM rollup_queue
        UNION ALL SELECT min(month), max(month) FROM person_activity
      )
      SELECT to_char(m, 'YYYY-MM-DD') AS month
      FROM generate_series((SELECT date_trunc('month', min(lo)) FROM bounds), (SELECT date_trunc('month', max(hi)) FROM bounds), interval '1 month') AS m
      WHERE (SELECT min(lo) FROM bounds) IS NOT NULL`;
  }, LONG);
  for (const { month } of months) {
    await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL statement_timeout = 0`;
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(${DRAIN_LOCK})::text`;
      // The raw scan is bounded by instants too (a day wider each side), for the occurred_at index.
      const inMonth = (col: Prisma.Sql) => Prisma.sql`${col} >= ${month}::date AND ${col} < (${month}::date + interval '1 month')::date`;
      await tx.$executeRaw`
        WITH queued AS (DELETE FROM rollup_queue WHERE ${inMonth(Prisma.sql`day`)}),
          fine AS (DELETE FROM daily_usage WHERE ${inMonth(Prisma.sql`day`)}),
          team_usage AS (DELETE FROM daily_team_usage WHERE ${inMonth(Prisma.sql`day`)}),
          team_totals AS (DELETE FROM daily_team_totals WHERE ${inMonth(Prisma.sql`day`)}),
          activity AS (DELETE FROM person_activity WHERE month = ${month}::date),
          tool_activity AS (DELETE FROM person_tool_activity WHERE month = ${month}::date)
        INSERT INTO rollup_queue (${QUEUE_COLUMNS})
        ${contribution(Prisma.sql`usage_events e`, tz, Prisma.sql`${inMonth(Prisma.sql`(e.occurred_at AT TIME ZONE ${tz})::date`)}
          AND e.occurred_at >= ${dayStart(addDaysTo(month, -1), tz)} AND e.occurred_at < ${dayStart(addDaysTo(nextMonth(month), 1), tz)}`)}`;
      await opts.onMonth?.(month);
      while ((await drainBatch(tx)).rows === DRAIN_BATCH);
    }, LONG);
  }
  const [{ n }] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM daily_usage`;
  return { ...linked, months: months.length, rollupRows: n, ms: Date.now() - started };
}

async function reattribute(tx: Prisma.TransactionClient): Promise<{ personsLinked: number; teamsChanged: number }> {
  await tx.$executeRaw`SET LOCAL statement_timeout = 0`;
  const linked = await tx.$queryRaw<{ id: bigint }[]>`
    UPDATE usage_events e SET person_id = r.person_id
    FROM (
      SELECT e2.id, coalesce(p.id, i.person_id) AS person_id
      FROM usage_events e2
      LEFT JOIN people p ON p.email = lower(e2.user_ref)
      LEFT JOIN LATERAL (SELECT person_id FROM identities WHERE value IN (e2.user_ref, lower(e2.user_ref)) AND person_id IS NOT NULL LIMIT 1) i ON true
      WHERE e2.person_id IS NULL AND e2.user_ref IS NOT NULL
    ) r
    WHERE e.id = r.id AND r.person_id IS NOT NULL
    RETURNING e.id`;
  const teamsChanged = await tx.$executeRaw`
    UPDATE usage_events e SET team_id = t.team_id
    FROM (
      SELECT e2.id, ${personTeamAt(Prisma.sql`e2.person_id`, Prisma.sql`e2.occurred_at`, Prisma.sql`p.team_id`)} AS team_id
      FROM usage_events e2
      JOIN people p ON p.id = e2.person_id
      LEFT JOIN api_keys k ON k.id = e2.api_key_id
      WHERE e2.team_id = (SELECT id FROM teams WHERE slug = ${UNASSIGNED})
         OR (e2.id = ANY(${linked.map((l) => String(l.id))}::bigint[]) AND e2.team_id IS NOT DISTINCT FROM k.team_id)
    ) t
    WHERE e.id = t.id AND t.team_id IS NOT NULL AND e.team_id <> t.team_id`;
  return { personsLinked: linked.length, teamsChanged };
}
