import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { asLeader } from "@/lib/insights/leader";
import { evaluateRules, type EvaluateResult } from "@/lib/insights/evaluate";
import { deliverDue, type DeliverResult } from "@/lib/insights/deliver";
import { digestDue, queueDigest, type DigestRunResult } from "@/lib/insights/digest-run";
import { recordJob } from "@/lib/metrics/registry";

// One cycle of the insights job: evaluate the alert rules, queue the Monday digest when it is
// due (after the weekly export), then send what is due (new alerts, the digest, retries). Run by
// one leader at a time (advisory lock): after each aggregation cycle that moved rows (the
// server subscribes afterDrain() to the aggregator), and on its own timer
// (WAKEBOARD_ALERTS_INTERVAL_S) so time-based rules (a tool's data stopping) fire without ingest.

export interface CycleResult {
  leader: boolean;
  evaluated?: EvaluateResult;
  digest?: DigestRunResult | null;
  delivered?: DeliverResult;
}

export async function runInsightsCycle(now = new Date()): Promise<CycleResult> {
  const r = await asLeader("insights", async () => {
    const evaluated = await evaluateRules(now);
    const week = await digestDue(now);
    const digest = week ? await queueDigest(week, now) : null;
    const delivered = await deliverDue({ now });
    return { evaluated, digest, delivered };
  });
  if (r.leader) recordJob("insights", true);
  return r.leader ? { leader: true, ...r.result } : { leader: false };
}

export interface InsightsJob {
  /** Runs a cycle now (unless one is running); resolves when it is done. */
  trigger(): Promise<void>;
  /**
   * Called after each aggregation cycle that moved rows: runs a cycle unless one ran less than
   * AFTER_DRAIN_MIN_GAP_MS ago (under steady ingest the aggregator drains every 200 ms).
   */
  afterDrain(): void;
  stop(): Promise<void>;
}

/** The shortest gap between two cycles started by aggregation (not by the timer). */
export const AFTER_DRAIN_MIN_GAP_MS = 1000;

export function startInsightsJob(): InsightsJob {
  const interval = config().WAKEBOARD_ALERTS_INTERVAL_S;
  let running: Promise<void> | null = null;
  let stopped = false;
  let lastStart = 0;
  const trigger = () => {
    if (stopped) return Promise.resolve();
    if (!running) lastStart = Date.now();
    running ??= runInsightsCycle()
      .then((r) => {
        if (r.evaluated?.fired.length || r.delivered?.sent || r.delivered?.failed) log.info({ fired: r.evaluated?.fired.length, delivered: r.delivered }, "insights cycle");
      })
      .catch((e) => {
        recordJob("insights", false);
        log.error({ err: e }, "insights cycle failed; the next one retries");
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = interval > 0 ? setInterval(() => void trigger(), interval * 1000) : undefined;
  timer?.unref();
  if (interval === 0) log.info("alerts timer is off (WAKEBOARD_ALERTS_INTERVAL_S=0)");
  return {
    trigger,
    afterDrain() {
      if (!running && Date.now() - lastStart >= AFTER_DRAIN_MIN_GAP_MS) void trigger();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
