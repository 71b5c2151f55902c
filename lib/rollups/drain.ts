import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { activePerson } from "@/lib/rules/active-person";
import { COUNTERS, FINE_KEY } from "@/lib/rollups/contribution";

// Moves queued contributions into every rollup: the one SQL definition of each rollup
// (daily_usage, daily_team_usage, daily_team_totals, person_activity, person_tool_activity).
// The aggregator, `rollups rebuild`, the demo seed, the CLI import and the tests all drain
// through drainBatch. The queue rows are deleted by the same statement that adds them, so a
// drain either happens entirely or not at all (a SIGKILL mid-drain rolls it back), and every
// drain holds one transaction-level advisory lock, so two drains never overlap.

export type Tx = Prisma.TransactionClient;

/** pg_advisory_xact_lock(DRAIN_LOCK…): held by every drain and every rebuild chunk. */
const LOCK_CLASS = 0x57414b45; // "WAKE"
export const DRAIN_LOCK = Prisma.sql`${LOCK_CLASS}::int, 2`;
/** pg_try_advisory_lock(LEADER_LOCK…): the session lock of the aggregator's leader. */
export const LEADER_LOCK_IDS = [LOCK_CLASS, 1] as const;

/** Queue rows one statement moves at most: keeps each drain well under the statement timeout. */
export const DRAIN_BATCH = 20_000;

const add = (alias: string) => Prisma.raw(COUNTERS.map((c) => `${c} = ${alias}.${c} + excluded.${c}`).join(", "));
const sums = Prisma.raw(COUNTERS.map((c) => `sum(${c}) AS ${c}`).join(", "));
const cols = (...key: string[]) => Prisma.raw([...key, ...COUNTERS].join(", "));
const bitOfDay = Prisma.sql`bit_or(1 << (extract(day FROM day)::int - 1))`;

export interface DrainResult {
  /** Queue rows moved into the rollups. */
  rows: number;
  /** Events those rows stood for. */
  events: number;
}

/**
 * One drain statement: deletes up to `limit` queue rows (the oldest, with id ≤ `upTo` when
 * given) and adds them to every rollup. Run it through drainBatch, inside the lock.
 */
function drainStatement(limit: number, upTo: bigint | null): Prisma.Sql {
  const bound = upTo === null ? Prisma.empty : Prisma.sql`WHERE id <= ${upTo}::bigint`;
  return Prisma.sql`
    WITH batch AS (
      DELETE FROM rollup_queue WHERE id IN (SELECT id FROM rollup_queue ${bound} ORDER BY id LIMIT ${limit}::int)
      RETURNING ${Prisma.raw(FINE_KEY.join(", "))}, ${Prisma.raw(COUNTERS.join(", "))}
    ),
    agg AS (
      SELECT ${Prisma.raw(FINE_KEY.join(", "))}, ${sums} FROM batch GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ),
    ${rollupUpserts("batch")}
    SELECT count(*)::int AS rows, coalesce(sum(events), 0)::float8 AS events FROM batch`;
}

/**
 * Every rollup's upsert, the one SQL definition of each, as CTEs that read `agg` (day,
 * team_id, person_id, tool_id, model and summed counters; negative for events taken away).
 * The activity bitmaps take the days of active rows of `activityFrom`: the drain passes its
 * queue rows, so a batch that also takes a replaced record away cannot hide a new active one.
 * Rows are written in key order, so two writers cannot deadlock.
 */
export function rollupUpserts(activityFrom: "agg" | "batch" = "agg"): Prisma.Sql {
  const src = Prisma.raw(activityFrom);
  return Prisma.sql`
    fine AS (
      INSERT INTO daily_usage AS r (${cols(...FINE_KEY)})
      SELECT * FROM agg ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT (day, team_id, person_id, tool_id, model) DO UPDATE SET ${add("r")}
      RETURNING 1
    ),
    team_usage AS (
      INSERT INTO daily_team_usage AS r (${cols("day", "team_id", "tool_id", "model")})
      SELECT day, team_id, tool_id, model, ${sums} FROM agg GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (day, team_id, tool_id, model) DO UPDATE SET ${add("r")}
      RETURNING 1
    ),
    team_totals AS (
      INSERT INTO daily_team_totals AS r (${cols("day", "team_id")})
      SELECT day, team_id, ${sums} FROM agg GROUP BY 1, 2 ORDER BY 1, 2
      ON CONFLICT (day, team_id) DO UPDATE SET ${add("r")}
      RETURNING 1
    ),
    -- Each person's active days per month as a bitmap (bit d−1 = day d), overall and per tool.
    activity AS (
      INSERT INTO person_activity AS r (month, team_id, person_id, days)
      SELECT date_trunc('month', day)::date, team_id, person_id, ${bitOfDay}
      FROM ${src} WHERE ${activePerson(activityFrom)} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (month, team_id, person_id) DO UPDATE SET days = r.days | excluded.days
      RETURNING 1
    ),
    tool_activity AS (
      INSERT INTO person_tool_activity AS r (month, team_id, tool_id, person_id, days)
      SELECT date_trunc('month', day)::date, team_id, tool_id, person_id, ${bitOfDay}
      FROM ${src} WHERE ${activePerson(activityFrom)} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (month, team_id, tool_id, person_id) DO UPDATE SET days = r.days | excluded.days
      RETURNING 1
    )`;
}

/** Inside a transaction that holds DRAIN_LOCK: drains one batch. */
export async function drainBatch(tx: Tx, opts: { limit?: number; upTo?: bigint | null } = {}): Promise<DrainResult> {
  const [r] = await tx.$queryRaw<DrainResult[]>(drainStatement(opts.limit ?? DRAIN_BATCH, opts.upTo ?? null));
  return r;
}

/**
 * One drain transaction: takes the drain lock and drains one batch. When another drain or a
 * rebuild's month holds the lock, it answers null at once (`wait: false`, the aggregator's
 * cycle) or tries again every 100 ms until it gets it — a rebuild may hold it for minutes,
 * longer than any statement may wait.
 */
export async function drainOnce(opts: { wait?: boolean; limit?: number; upTo?: bigint | null } = {}): Promise<DrainResult | null> {
  const prisma = await db();
  for (;;) {
    const r = await prisma.$transaction(
      async (tx) => {
        const [{ ok }] = await tx.$queryRaw<{ ok: boolean }[]>`SELECT pg_try_advisory_xact_lock(${DRAIN_LOCK}) AS ok`;
        return ok ? drainBatch(tx, opts) : null;
      },
      { timeout: 5 * 60_000, maxWait: 60_000 },
    );
    if (r || opts.wait === false) return r;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Drains everything enqueued before the call (not what arrives meanwhile), in batches, and
 * answers what it moved. After it returns, every event stored before the call is in the
 * rollups: the demo seed, the CLI import and tests call it instead of waiting.
 */
export async function drainQueue(): Promise<DrainResult> {
  const prisma = await db();
  const [{ max }] = await prisma.$queryRaw<{ max: bigint | null }[]>`SELECT max(id) AS max FROM rollup_queue`;
  const total: DrainResult = { rows: 0, events: 0 };
  if (max === null) return total;
  for (;;) {
    const r = (await drainOnce({ upTo: max }))!;
    total.rows += r.rows;
    total.events += r.events;
    if (r.rows < DRAIN_BATCH) return total;
  }
}
