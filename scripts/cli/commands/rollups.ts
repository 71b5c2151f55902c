import { parse, out, info, type Command } from "@/scripts/cli/command";
import { rebuildRollups } from "@/lib/ingest/rebuild-rollups";
import { drainQueue } from "@/lib/rollups/drain";
import { queueStatus } from "@/lib/rollups/queue-status";
import { rebuildGithub } from "@/lib/github/rebuild";

export const rollupsRebuild: Command = {
  name: "rollups rebuild",
  summary: "recompute all rollups from raw events, a month per transaction (ingest keeps running); --reattribute first re-resolves unassigned events and people mapped later",
  usage: "rollups rebuild [--reattribute]",
  needsDb: true,
  async run(argv) {
    const { values } = parse(argv, { reattribute: { type: "boolean" } });
    const r = await rebuildRollups({ reattribute: values.reattribute, onMonth: (m) => void info(`… ${m.slice(0, 7)}`) });
    out(
      `rebuilt ${r.rollupRows} daily rollup rows (${r.months} months) in ${(r.ms / 1000).toFixed(1)} s` +
        (values.reattribute ? `; linked ${r.personsLinked} event(s) to people, moved ${r.teamsChanged} event(s) to their team` : ""),
    );
    const g = await rebuildGithub({ reattribute: values.reattribute });
    out(`rebuilt ${g.rollupRows} GitHub rollup rows` + (values.reattribute ? `; re-attributed ${g.reattributed} commit(s) and pull request(s)` : ""));
  },
};

export const rollupsDrain: Command = {
  name: "rollups drain",
  summary: "move every queued event into the rollups now (the server's aggregator does this every 200 ms; useful after an import with no server running)",
  usage: "rollups drain",
  needsDb: true,
  async run(argv) {
    parse(argv, {});
    const started = Date.now();
    const r = await drainQueue();
    out(`drained ${r.rows} queue rows (${r.events} events) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  },
};

export const rollupsStatus: Command = {
  name: "rollups status",
  summary: "how far the rollups lag behind stored events: queue depth and the oldest queued row's age",
  usage: "rollups status",
  needsDb: true,
  async run(argv) {
    parse(argv, {});
    const s = await queueStatus();
    out(s.oldestAt ? `queue: ${s.depth} rows (${s.events} events), oldest enqueued ${s.oldestAt.toISOString()} (${(s.lagMs / 1000).toFixed(1)} s ago)` : "queue: empty (rollups are up to date)");
  },
};
