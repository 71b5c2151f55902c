import path from "node:path";
import { config } from "@/lib/config";
import { dayOf, dayStart, mondayOf } from "@/lib/time/calendar";
import { lastCompleteWeek } from "@/lib/time/period";
import { log } from "@/lib/log";
import { recordJob } from "@/lib/metrics/registry";
import type { ExportGrain } from "@/lib/export/columns";
import { exportCron, scheduleOff, SCHEDULED_GRAINS } from "@/lib/export/cron";
import { claimExportRun, finishExportRun, releaseExportRun } from "@/lib/export/claim";
import { openWeeklyExport } from "@/lib/export/weekly-export";
import { writeExportFile } from "@/lib/export/write-file";

// The scheduled weekly export (DESIGN.md §8): at each time of WAKEBOARD_EXPORT_CRON (default
// Monday 06:00) in WAKEBOARD_TZ, write last week's team and team × tool files into
// WAKEBOARD_EXPORT_DIR (default <data dir>/exports). Each (week, grain) is claimed first, so
// with several instances, or a trigger firing twice, each file is written exactly once; any
// later trigger in the same week is a retry of what failed. Per-person files are not
// scheduled: they would sit in a shared folder outside the dashboard's access rules (the
// CLI writes them on demand). WAKEBOARD_EXPORT_CRON=off turns the schedule off.

export interface ScheduledResult {
  week: string;
  grain: ExportGrain;
  status: "written" | "already-claimed" | "failed";
  path?: string;
  rows?: number;
  error?: string;
}

export function exportDir(): string {
  const c = config();
  return path.resolve(c.WAKEBOARD_EXPORT_DIR ?? path.join(c.dataDir, "exports"));
}

/** Writes last complete week's files once; returns what happened to each. Never throws. */
export async function runScheduledExport(opts: { now?: Date; dir?: string; grains?: ExportGrain[] } = {}): Promise<ScheduledResult[]> {
  const week = lastCompleteWeek({ tz: config().WAKEBOARD_TZ, now: opts.now });
  const dir = opts.dir ?? exportDir();
  const results: ScheduledResult[] = [];
  for (const grain of opts.grains ?? SCHEDULED_GRAINS) {
    try {
      if (!(await claimExportRun(week, grain))) {
        results.push({ week, grain, status: "already-claimed" });
        continue;
      }
    } catch (e) {
      log.error({ err: e, week, grain }, "scheduled export: could not claim the run");
      results.push({ week, grain, status: "failed", error: (e as Error).message });
      continue;
    }
    try {
      const exp = await openWeeklyExport({ week, grain, requester: { kind: "system" } });
      const written = await writeExportFile(exp, dir);
      await finishExportRun(week, grain, written.path);
      log.info({ week, grain, path: written.path, rows: written.rows, bytes: written.bytes }, "scheduled export written");
      results.push({ week, grain, status: "written", path: written.path, rows: written.rows });
    } catch (e) {
      log.error({ err: e, week, grain }, "scheduled export failed; the next trigger retries");
      await releaseExportRun(week, grain).catch(() => {});
      results.push({ week, grain, status: "failed", error: (e as Error).message });
    }
  }
  recordJob("weekly_export", !results.some((r) => r.status === "failed"));
  return results;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ExportScheduler {
  /** The next scheduled time, or null when off. */
  next(): Date | null;
  stop(): Promise<void>;
}

/**
 * Starts the schedule in this process. If this week's scheduled time has already passed
 * (the server was down at 06:00 Monday), it catches up at once; the claims make that safe.
 */
export function startExportScheduler(): ExportScheduler {
  const c = config();
  if (scheduleOff()) {
    log.info("weekly export schedule is off (WAKEBOARD_EXPORT_CRON=off)");
    return { next: () => null, stop: async () => {} };
  }
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let nextAt = exportCron(new Date()).next().toDate();

  const run = () => {
    running = runScheduledExport().catch((e) => log.error({ err: e }, "scheduled export failed"));
    return running;
  };
  const arm = () => {
    if (stopped) return;
    timer = setTimeout(
      () => {
        if (Date.now() < nextAt.getTime()) return arm(); // a long wait is split into timer-sized parts
        void run().then(() => {
          nextAt = exportCron(new Date()).next().toDate();
          arm();
        });
      },
      Math.min(Math.max(0, nextAt.getTime() - Date.now()), MAX_TIMER_MS),
    );
    timer.unref();
  };

  const now = new Date();
  const thisMonday = dayStart(mondayOf(dayOf(now, c.WAKEBOARD_TZ)), c.WAKEBOARD_TZ);
  const missed = exportCron(now).prev().toDate() >= thisMonday;
  log.info({ cron: c.WAKEBOARD_EXPORT_CRON, tz: c.WAKEBOARD_TZ, dir: exportDir(), next: nextAt.toISOString(), catchUp: missed }, "weekly export scheduled");
  if (missed) void run();
  arm();
  return {
    next: () => (stopped ? null : nextAt),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
