import { db } from "@/lib/db/client";

// How far the rollups lag behind stored events: the rollup queue's depth and the age of its
// oldest row. The dashboard shows "data as of …" past STALE_AFTER_MS; metrics export it.

export const STALE_AFTER_MS = 5_000;

export interface QueueStatus {
  /** Queue rows waiting (each one statement's events for one day × team × person × tool × model). */
  depth: number;
  /** Events those rows stand for. */
  events: number;
  /** When the oldest waiting row was enqueued; null when the queue is empty. */
  oldestAt: Date | null;
  /** now − oldestAt in ms (0 when empty): everything stored before `oldestAt` is in the rollups. */
  lagMs: number;
}

export async function queueStatus(now: Date = new Date()): Promise<QueueStatus> {
  const prisma = await db();
  const [r] = await prisma.$queryRaw<{ depth: number; events: number; oldest: Date | null }[]>`
    SELECT count(*)::int AS depth, coalesce(sum(events), 0)::float8 AS events,
      (SELECT enqueued_at FROM rollup_queue ORDER BY id LIMIT 1) AS oldest
    FROM rollup_queue`;
  return { depth: r.depth, events: r.events, oldestAt: r.oldest, lagMs: r.oldest ? Math.max(0, now.getTime() - r.oldest.getTime()) : 0 };
}
