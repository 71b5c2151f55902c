import { CronExpressionParser } from "cron-parser";
import { db } from "@/lib/db/client";
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { runConnector } from "@/lib/connectors/run";

// Runs each enabled connector at the times of its cron schedule (UTC). Every instance ticks;
// the run's claim makes one of them pull. A connector whose credentials were refused waits
// for an admin to enter new ones instead of retrying on every tick.

const TICK_MS = 60_000;

/** Connectors whose next scheduled time after their last run (or creation) has come. */
export async function dueConnectors(now = new Date()): Promise<{ id: number; name: string }[]> {
  const prisma = await db();
  const rows = await prisma.connector.findMany({ where: { enabled: true } });
  return rows
    .filter((c) => {
      if (c.lastErrorKind === "credentials") return false;
      if (!c.lastRunAt) return true;
      try {
        const next = CronExpressionParser.parse(c.schedule, { tz: "UTC", currentDate: c.lastRunAt }).next().toDate();
        return next <= now;
      } catch {
        return false;
      }
    })
    .map((c) => ({ id: c.id, name: c.name }));
}

export interface ConnectorScheduler {
  stop(): Promise<void>;
}

export function startConnectorScheduler(): ConnectorScheduler {
  if (config().WAKEBOARD_CONNECTORS === "off") {
    log.info("connector schedule is off (WAKEBOARD_CONNECTORS=off)");
    return { stop: async () => {} };
  }
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const abort = new AbortController();
  const tick = () => {
    running = (async () => {
      for (const c of await dueConnectors()) {
        if (stopped) return;
        await runConnector(c.id, { trigger: "schedule", signal: abort.signal });
      }
    })().catch((e) => log.error({ err: e }, "connector schedule tick failed"));
  };
  const timer = setInterval(tick, TICK_MS);
  timer.unref();
  setTimeout(tick, 5_000).unref();
  return {
    async stop() {
      stopped = true;
      abort.abort();
      clearInterval(timer);
      await running;
    },
  };
}
