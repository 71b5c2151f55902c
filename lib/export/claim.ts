import { db } from "@/lib/db/client";
import type { ExportGrain } from "@/lib/export/columns";

// A scheduled export of a week is claimed by inserting its (week, grain) row: the primary
// key lets exactly one instance — or one of two triggers firing at once — win, on every
// PostgreSQL (PGlite included), with no lock held while the file is written. A claim whose
// holder died mid-run (never finished) may be taken over once it is older than STALE.

const STALE_MINUTES = 60;

/** True when this caller now owns the run and must write the file. */
export async function claimExportRun(week: string, grain: ExportGrain): Promise<boolean> {
  const prisma = await db();
  const rows = await prisma.$queryRaw<{ week: string }[]>`
    INSERT INTO export_runs (week, grain, started_at) VALUES (${week}, ${grain}, now())
    ON CONFLICT (week, grain) DO UPDATE SET started_at = now(), finished_at = NULL, path = NULL
      WHERE export_runs.finished_at IS NULL AND export_runs.started_at < now() - make_interval(mins => ${STALE_MINUTES}::int)
    RETURNING week`;
  return rows.length === 1;
}

export async function finishExportRun(week: string, grain: ExportGrain, path: string): Promise<void> {
  const prisma = await db();
  await prisma.exportRun.update({ where: { week_grain: { week, grain } }, data: { finishedAt: new Date(), path } });
}

/** Gives a failed run back, so the next trigger tries again. */
export async function releaseExportRun(week: string, grain: ExportGrain): Promise<void> {
  const prisma = await db();
  await prisma.exportRun.deleteMany({ where: { week, grain, finishedAt: null } });
}
