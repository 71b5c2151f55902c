import { parse, UsageError, info, out, type Command } from "@/scripts/cli/command";
import { runInsightsCycle } from "@/lib/insights/job";

// `alerts run`: one cycle of the insights job now (evaluate every alert rule, send what is
// due), as the leader-elected job does after each aggregation cycle. Safe to run beside a
// running server: if another instance holds the leader lock, it does nothing.

export const alertsRun: Command = {
  name: "alerts run",
  summary: "evaluate the alert rules once and send due alert emails/webhooks (skips if another instance is the leader)",
  usage: "alerts run [--now 2026-11-30T08:00:00Z]",
  needsDb: true,
  async run(argv) {
    const { values } = parse(argv, { now: { type: "string" } });
    const now = values.now ? new Date(values.now) : new Date();
    if (Number.isNaN(now.getTime())) throw new UsageError("--now must be an ISO 8601 instant such as 2026-11-30T08:00:00Z");
    const r = await runInsightsCycle(now);
    if (!r.leader) {
      info("another instance is evaluating alerts right now; nothing done");
      out(JSON.stringify({ leader: false }));
      return;
    }
    info(`${r.evaluated!.rules} rules, ${r.evaluated!.holding} holding, ${r.evaluated!.fired.length} new; delivered ${r.delivered!.sent}, retrying ${r.delivered!.retrying}, failed ${r.delivered!.failed}`);
    out(JSON.stringify({ leader: true, fired: r.evaluated!.fired.map((f) => f.key), delivered: r.delivered }));
  },
};
