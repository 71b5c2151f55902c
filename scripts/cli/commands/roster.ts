import fs from "node:fs";
import { parse, UsageError, out, info, userPath, type Command } from "@/scripts/cli/command";
import { applyRoster, isRowError, MAX_ROSTER_BYTES, previewRoster, type RosterPreview } from "@/lib/admin/roster";
import { config } from "@/lib/config";
import { dayStart, isIsoDate } from "@/lib/time/calendar";

// `roster import FILE.csv`: the same preview/apply as Admin → Roster import (lib/admin/roster.ts).

function report(p: RosterPreview) {
  for (const r of p.rows) {
    if (isRowError(r)) info(`line ${r.line}: ${r.email || "(no email)"}: ${r.errors.join("; ")}`);
    else if (r.action !== "unchanged") info(`line ${r.line}: ${r.email}: ${r.action}: ${r.changes.join("; ")}`);
  }
}

export const rosterImport: Command = {
  name: "roster import",
  summary: "import people and teams from CSV (email,name,team[,identities]); idempotent; moves take effect on --effective (default today)",
  usage: "roster import FILE.csv [--effective YYYY-MM-DD] [--dry-run]",
  needsDb: true,
  async run(argv) {
    const { values, positionals } = parse(argv, { effective: { type: "string" }, "dry-run": { type: "boolean" } }, true);
    const file = positionals[0];
    if (!file) throw new UsageError("give the CSV file to import");
    if (values.effective && !isIsoDate(values.effective)) throw new UsageError("--effective must be a date as YYYY-MM-DD");
    let stat: fs.Stats;
    try {
      stat = fs.statSync(userPath(file));
    } catch {
      throw new UsageError(`cannot read ${file}`);
    }
    if (stat.size > MAX_ROSTER_BYTES) throw new UsageError(`${file} is larger than ${MAX_ROSTER_BYTES / 1024 / 1024} MiB`);
    const text = fs.readFileSync(userPath(file), "utf8");
    const effective = values.effective ? dayStart(values.effective, config().WAKEBOARD_TZ) : undefined;
    const result = values["dry-run"] ? await previewRoster(text, { effective }) : await applyRoster(text, { actor: "cli", effectiveDay: values.effective });
    if (result.fileErrors.length) throw new UsageError(result.fileErrors.join(" "));
    report(result);
    const c = result.counts;
    out(`${values["dry-run"] ? "would apply" : "applied"}: ${c.create} created, ${c.move} moved, ${c.update} updated, ${c.unchanged} unchanged, ${c.invalid} rejected`);
    if (c.invalid) throw new UsageError(`${c.invalid} line(s) rejected (listed above); the other lines were ${values["dry-run"] ? "checked" : "applied"}`);
  },
};
