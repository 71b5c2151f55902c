import { Prisma } from "@/lib/generated/prisma/client";

// What a set of raw events adds to the rollups, the one definition: summed per reporting
// day (in WAKEBOARD_TZ) × team × person (0 = none) × tool × model. The ingest statement
// enqueues it for the events it inserted; `rollups rebuild` enqueues it for a month of
// stored events. Everything downstream (lib/rollups/drain.ts) starts from these rows.

/** The counters every rollup and the queue carry, in this order. */
export const COUNTERS = [
  "events",
  "invocations",
  "input_tokens",
  "output_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "cost_usd",
  "lines_added",
  "lines_removed",
  "commits",
  "pull_requests",
] as const;

/** The key of the fine rollup (daily_usage) and of a queue row. */
export const FINE_KEY = ["day", "team_id", "person_id", "tool_id", "model"] as const;

/** Columns of rollup_queue that a contribution fills, in the order contribution() selects them. */
export const QUEUE_COLUMNS = Prisma.raw([...FINE_KEY, ...COUNTERS].join(", "));

/**
 * SELECT of the contribution of the events in `from` (a relation with usage_events' columns,
 * aliased `e`), optionally filtered by `where`; `sign` −1 takes them away (a connector
 * revision deletes events it replaces).
 */
export function contribution(from: Prisma.Sql, tz: string, where: Prisma.Sql = Prisma.sql`true`, sign: 1 | -1 = 1): Prisma.Sql {
  const s = Prisma.raw(sign === 1 ? "" : "-");
  return Prisma.sql`
    SELECT (e.occurred_at AT TIME ZONE ${tz})::date AS day, e.team_id, coalesce(e.person_id, 0) AS person_id, e.tool_id, e.model,
      ${s}count(*) AS events, ${s}sum(e.invocations) AS invocations, ${s}sum(e.input_tokens) AS input_tokens,
      ${s}sum(e.output_tokens) AS output_tokens, ${s}sum(e.cache_read_tokens) AS cache_read_tokens,
      ${s}sum(e.cache_write_tokens) AS cache_write_tokens, ${s}coalesce(sum(e.cost_usd), 0) AS cost_usd,
      ${s}coalesce(sum(e.lines_added), 0) AS lines_added, ${s}coalesce(sum(e.lines_removed), 0) AS lines_removed,
      ${s}coalesce(sum(e.commits), 0) AS commits, ${s}coalesce(sum(e.pull_requests), 0) AS pull_requests
    FROM ${from}
    WHERE ${where}
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`;
}
