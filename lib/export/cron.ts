import { CronExpressionParser } from "cron-parser";
import { ConfigError, config } from "@/lib/config";
import type { ExportGrain } from "@/lib/export/columns";

// When the weekly export runs (WAKEBOARD_EXPORT_CRON in WAKEBOARD_TZ) and what it writes;
// kept apart from the scheduler so the /export page can describe it without the file system.

/** Per-person files are not scheduled: a shared folder is outside the dashboard's access rules. */
export const SCHEDULED_GRAINS: ExportGrain[] = ["team", "team-tool"];

export function scheduleOff(): boolean {
  return config().WAKEBOARD_EXPORT_CRON.trim().toLowerCase() === "off";
}

/** The cron expression, parsed in WAKEBOARD_TZ; a bad expression is a configuration error. */
export function exportCron(now: Date) {
  const c = config();
  try {
    return CronExpressionParser.parse(c.WAKEBOARD_EXPORT_CRON, { tz: c.WAKEBOARD_TZ, currentDate: now });
  } catch (e) {
    throw new ConfigError(
      `Invalid configuration: WAKEBOARD_EXPORT_CRON ${(e as Error).message} (got ${JSON.stringify(c.WAKEBOARD_EXPORT_CRON)}); use five fields such as "0 6 * * 1", or "off"`,
    );
  }
}
