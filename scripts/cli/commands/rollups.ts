import { parse, out, type Command } from "@/scripts/cli/command";
import { rebuildRollups } from "@/lib/ingest/rebuild-rollups";
import { rebuildGithub } from "@/lib/github/rebuild";

export const rollupsRebuild: Command = {
  name: "rollups rebuild",
  summary: "recompute all rollups from raw events; --reattribute first re-resolves unassigned events and people mapped later",
  usage: "rollups rebuild [--reattribute]",
  needsDb: true,
  async run(argv) {
    const { values } = parse(argv, { reattribute: { type: "boolean" } });
    const r = await rebuildRollups({ reattribute: values.reattribute });
    out(
      `rebuilt ${r.rollupRows} daily rollup rows in ${(r.ms / 1000).toFixed(1)} s` +
        (values.reattribute ? `; linked ${r.personsLinked} event(s) to people, moved ${r.teamsChanged} event(s) to their team` : ""),
    );
    const g = await rebuildGithub({ reattribute: values.reattribute });
    out(`rebuilt ${g.rollupRows} GitHub rollup rows` + (values.reattribute ? `; re-attributed ${g.reattributed} commit(s) and pull request(s)` : ""));
  },
};
