import { config } from "@/lib/config";
import { exportCron, scheduleOff, SCHEDULED_GRAINS } from "@/lib/export/cron";
import type { ExportGrain } from "@/lib/export/columns";
import { Panel } from "@/components/dashboard/ui";

// What the file holds and the other ways to get it (API, CLI, schedule), so the page
// explains itself to someone opening it for the first time.

const COLUMNS: [string, string][] = [
  ["week", "the ISO week, e.g. 2026-W48"],
  ["team, team_path", "the team's slug, and its place in the org tree (org/group/team)"],
  ["tool", "team × tool rows only: the tool's slug"],
  ["person_email, person_name", "per-person rows only; empty for usage reported without a known person"],
  ["headcount", "the team's headcount override, else its members on the week's Sunday"],
  ["active_users, adoption_pct", "people with any usage; adoption = active users ÷ headcount in percent (empty when headcount is 0)"],
  ["invocations … total_tokens", "sums; total = input + output + cache read + cache write"],
  ["cost_usd", "cost as the tools reported it"],
  ["rank, rank_change", "by total tokens, ties share a rank (1, 2, 2, 4); change = last week's rank − this week's (positive = up; empty when the team had no tokens this week or none last week, or when its data starts inside last week). \`unassigned\` (usage no team claimed) is listed but never ranked. Team × tool rows rank teams among the tool's users; person rows rank people within their team"],
  ["merged_prs, ai_merged_prs, ai_pr_share_pct, landed_commits, ai_commits, ai_commit_share_pct", "from GitHub webhooks (docs/github.md): merged pull requests and commits landed on default branches, those with an AI signal and their share; on team × tool rows the AI counts are that tool's; empty on person rows"],
];

function schedule(): string {
  const c = config();
  if (scheduleOff()) return "The automatic weekly export is off (WAKEBOARD_EXPORT_CRON=off).";
  try {
    const next = exportCron(new Date()).next().toDate();
    const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "full", timeStyle: "short", timeZone: c.WAKEBOARD_TZ }).format(next);
    return `Automatically, on the schedule “${c.WAKEBOARD_EXPORT_CRON}” (${c.WAKEBOARD_TZ}; next: ${when}), the ${SCHEDULED_GRAINS.join(" and ")} files of the week before are written once into the export folder.`;
  } catch {
    return `The schedule “${c.WAKEBOARD_EXPORT_CRON}” is not a valid cron expression.`;
  }
}

export function ExportHelp({ canExportPeople, isManager, isAdmin, week, grain }: { canExportPeople: boolean; isManager: boolean; isAdmin: boolean; week: string; grain: ExportGrain }) {
  const apiGrain = grain === "person" ? "team" : grain;
  return (
    <div className="mt-6 grid gap-4 lg:grid-cols-2">
      <Panel title="What is in the file" description="The same figures as the leaderboard for that week: one definition everywhere.">
        <dl className="space-y-1.5 text-sm">
          {COLUMNS.map(([k, v]) => (
            <div key={k}>
              <dt className="inline font-mono text-xs text-slate-800">{k}</dt> <dd className="inline text-slate-600">— {v}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-3 text-xs text-slate-500">
          CSV as in RFC 4180, UTF-8, CRLF line ends, numbers unformatted. Text that a spreadsheet would run as a formula (starting with = + - @) gets a leading apostrophe.
          {canExportPeople
            ? isManager
              ? ` Per-person rows cover the teams you manage that have at least ${config().WAKEBOARD_MIN_GROUP} active people that week.`
              : " Per-person rows cover every team."
            : " Per-person rows are for admins and managers."}
        </p>
      </Panel>
      <Panel title="Other ways to get it">
        <div className="space-y-3 text-sm text-slate-700">
          <p>With an API key that has the export scope (API keys get team-level rows only):</p>
          <pre className="overflow-x-auto rounded bg-slate-900 p-2 text-xs text-slate-100">{`curl -fsS -H "Authorization: Bearer $WAKEBOARD_KEY" \\\n  -o wakeboard-${week}-${apiGrain}.csv \\\n  "$WAKEBOARD_URL/api/v1/exports/weekly.csv?week=${week}&grain=${apiGrain}"`}</pre>
          <p>From the command line on the server:</p>
          <pre className="overflow-x-auto rounded bg-slate-900 p-2 text-xs text-slate-100">{`npm run -s wakeboard -- export weekly --week ${week} --grain ${grain} --out exports/`}</pre>
          <p>
            {schedule()}
            {isAdmin && (
              <>
                {" "}
                Folder: <code className="text-xs">{config().WAKEBOARD_EXPORT_DIR ?? `${config().WAKEBOARD_DATA_DIR}/exports`}</code>.
              </>
            )}
          </p>
        </div>
      </Panel>
    </div>
  );
}
