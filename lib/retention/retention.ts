import { db } from "@/lib/db/client";
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { recordJob } from "@/lib/metrics/registry";

// Retention (docs/operations.md#retention): raw events older than WAKEBOARD_RETENTION_DAYS
// (+1 day of grace) are deleted, oldest first, in batches of one short statement each, so
// ingest is never blocked for longer than one batch and a run stops after `maxMs` (the next
// run goes on). The rollups — what the pages read — are kept, unless
// WAKEBOARD_ROLLUP_RETENTION_DAYS (default 0 = forever) says otherwise. OTLP cumulative
// series silent for WAKEBOARD_OTLP_SERIES_TTL_DAYS are forgotten.
//
// Idempotency still holds for every id: a replay of a deleted event carries its old
// timestamp, which validation refuses as older than the retention period (the deletion
// cutoff is a day earlier than validation's), so a deleted event can never count again.

export interface RetentionResult {
  events: number;
  rollupRows: number;
  series: number;
  batches: number;
  complete: boolean;
  ms: number;
}

const DAY = 86_400_000;

export async function runRetention(opts: { now?: Date; batchSize?: number; maxMs?: number } = {}): Promise<RetentionResult> {
  const started = Date.now();
  const c = config();
  const now = opts.now ?? new Date();
  const batchSize = opts.batchSize ?? 5000;
  const maxMs = opts.maxMs ?? 10 * 60_000;
  const prisma = await db();
  const result: RetentionResult = { events: 0, rollupRows: 0, series: 0, batches: 0, complete: true, ms: 0 };
  try {
    if (c.WAKEBOARD_RETENTION_DAYS > 0) {
      const cutoff = new Date(now.getTime() - (c.WAKEBOARD_RETENTION_DAYS + 1) * DAY);
      for (;;) {
        const n = await prisma.$executeRaw`
          DELETE FROM usage_events WHERE id IN (
            SELECT id FROM usage_events WHERE occurred_at < ${cutoff} ORDER BY occurred_at LIMIT ${batchSize})`;
        result.events += n;
        result.batches++;
        if (n < batchSize) break;
        if (Date.now() - started > maxMs) {
          result.complete = false;
          break;
        }
      }
    }
    if (c.WAKEBOARD_ROLLUP_RETENTION_DAYS > 0) {
      // Whole days for the daily rollups, whole months for the monthly activity bitmaps.
      const cutoffDay = new Date(now.getTime() - c.WAKEBOARD_ROLLUP_RETENTION_DAYS * DAY).toISOString().slice(0, 10);
      result.rollupRows += await prisma.$executeRaw`DELETE FROM daily_usage WHERE day < ${cutoffDay}::date`;
      result.rollupRows += await prisma.$executeRaw`DELETE FROM daily_team_usage WHERE day < ${cutoffDay}::date`;
      result.rollupRows += await prisma.$executeRaw`DELETE FROM daily_team_totals WHERE day < ${cutoffDay}::date`;
      result.rollupRows += await prisma.$executeRaw`DELETE FROM person_activity WHERE month < date_trunc('month', ${cutoffDay}::date)::date`;
      result.rollupRows += await prisma.$executeRaw`DELETE FROM person_tool_activity WHERE month < date_trunc('month', ${cutoffDay}::date)::date`;
    }
    const silentSince = new Date(now.getTime() - c.WAKEBOARD_OTLP_SERIES_TTL_DAYS * DAY);
    result.series = await prisma.$executeRaw`DELETE FROM otlp_series WHERE updated_at < ${silentSince}`;
    result.ms = Date.now() - started;
    recordJob("retention", true);
    log.info(result, "retention run");
    return result;
  } catch (e) {
    recordJob("retention", false);
    throw e;
  }
}

/** Runs retention once a day in this process (every instance may: the deletes are idempotent). */
export function startRetentionSchedule(): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = runRetention().catch((e) => log.error({ err: e }, "retention run failed; the next run retries"));
  };
  // First run a minute after start (not in the start-up rush), then daily.
  const first = setTimeout(run, 60_000);
  const daily = setInterval(run, DAY);
  first.unref();
  daily.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(daily);
      await running;
    },
  };
}
