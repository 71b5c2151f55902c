import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { asLeader } from "@/lib/insights/leader";
import { evaluateRules, type EvaluateResult } from "@/lib/insights/evaluate";
import { deliverDue, type DeliverResult } from "@/lib/insights/deliver";
import { digestDue, queueDigest, type DigestRunResult } from "@/lib/insights/digest-run";

// One cycle of the insights job: evaluate the alert rules, queue the Monday digest when it is
// due (after the weekly export), then send what is due (new alerts, the digest, retries). Run by one leader at a time (advisory lock); call it after each aggregation cycle,
// or on its own timer (WAKEBOARD_ALERTS_INTERVAL_S) where there is none.

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
  return r.leader ? { leader: true, ...r.result } : { leader: false };
}

export interface InsightsJob {
  /** Runs a cycle now (unless one is running); resolves when it is done. */
  trigger(): Promise<void>;
  stop(): Promise<void>;
}

export function startInsightsJob(): InsightsJob {
  const interval = config().WAKEBOARD_ALERTS_INTERVAL_S;
  let running: Promise<void> | null = null;
  let stopped = false;
  const trigger = () => {
    if (stopped) return Promise.resolve();
    running ??= runInsightsCycle()
      .then((r) => {
        if (r.evaluated?.fired.length || r.delivered?.sent || r.delivered?.failed) log.info({ fired: r.evaluated?.fired.length, delivered: r.delivered }, "insights cycle");
      })
      .catch((e) => log.error({ err: e }, "insights cycle failed; the next one retries"))
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
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
