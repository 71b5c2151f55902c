import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { queueStatus, STALE_AFTER_MS } from "@/lib/rollups/queue-status";

// "Data as of …": shown on every dashboard page while the rollups lag the stored events by
// more than STALE_AFTER_MS (the aggregator is behind, stopped, or a rebuild holds it).

export async function DataFreshness() {
  let status;
  try {
    status = await queueStatus();
  } catch (e) {
    log.warn({ err: e }, "data freshness: queue status unavailable");
    return null;
  }
  if (!status.oldestAt || status.lagMs <= STALE_AFTER_MS) return null;
  const tz = config().WAKEBOARD_TZ;
  const asOf = format(new TZDate(status.oldestAt.getTime(), tz), "yyyy-MM-dd HH:mm:ss");
  return (
    <p role="status" data-testid="data-freshness" className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      Data as of {asOf} ({tz}): {status.events.toLocaleString("en")} newer {status.events === 1 ? "event is" : "events are"} stored and still
      being added to these figures.
    </p>
  );
}
