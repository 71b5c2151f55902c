import { parse, out, type Command } from "@/scripts/cli/command";
import { runRetention } from "@/lib/retention/retention";

// `retention run`: the daily retention job, now (docs/operations.md#retention).
export const retentionRun: Command = {
  name: "retention run",
  summary: "delete raw events older than WAKEBOARD_RETENTION_DAYS (rollups kept unless WAKEBOARD_ROLLUP_RETENTION_DAYS), prune silent OTLP series",
  usage: "retention run [--batch N]",
  needsDb: true,
  async run(argv) {
    const { values } = parse(argv, { batch: { type: "string" } });
    const r = await runRetention({ batchSize: values.batch ? Math.max(100, Number(values.batch)) : undefined, maxMs: 24 * 3_600_000 });
    out(`deleted ${r.events} raw event(s) in ${r.batches} batch(es), ${r.rollupRows} rollup row(s), ${r.series} silent OTLP series in ${(r.ms / 1000).toFixed(1)} s`);
  },
};
