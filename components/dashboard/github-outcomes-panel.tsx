import type { Period } from "@/lib/time/period";
import { getTeamGithub, sharePct } from "@/lib/queries/get-team-github";
import { formatExact, formatPct } from "@/lib/charts/format";
import { EmptyState } from "@/components/dashboard/ui";

// The team's outcomes on GitHub (docs/github.md): merged PRs and landed commits, the
// AI-assisted ones per tool, and open→merge medians with their counts.

function hours(h: number | null): string {
  if (h === null) return "—";
  if (h < 1) return `${Math.round(h * 60)} min`;
  if (h < 48) return `${h.toFixed(1)} h`;
  return `${(h / 24).toFixed(1)} days`;
}

export async function GithubOutcomesPanel({ team, period, tools }: { team: string; period: Period; tools?: string[] }) {
  const g = await getTeamGithub({ team, period, tools });
  const t = g.totals;
  if (t.mergedPrs === 0 && t.landedCommits === 0) {
    return <EmptyState title="No GitHub activity in this period">Commits and merged pull requests appear here once the GitHub webhook is connected (docs/github.md).</EmptyState>;
  }
  const small = (n: number) => (n > 0 && n < 5 ? " (small sample)" : "");
  return (
    <div className="space-y-4 text-sm" data-testid="github-outcomes">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <div>
          <dt className="text-xs text-slate-500">Merged PRs</dt>
          <dd className="text-xl font-semibold tabular-nums">{formatExact(t.mergedPrs)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">AI-assisted PRs</dt>
          <dd className="text-xl font-semibold tabular-nums">
            {formatExact(t.aiMergedPrs)} <span className="text-sm font-normal text-slate-500">{formatPct(sharePct(t.aiMergedPrs, t.mergedPrs))}</span>
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Commits landed</dt>
          <dd className="text-xl font-semibold tabular-nums">{formatExact(t.landedCommits)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">AI co-authored commits</dt>
          <dd className="text-xl font-semibold tabular-nums">
            {formatExact(t.aiCommits)} <span className="text-sm font-normal text-slate-500">{formatPct(sharePct(t.aiCommits, t.landedCommits))}</span>
          </dd>
        </div>
      </dl>
      {g.byTool.length > 0 && (
        <table className="w-full text-left tabular-nums" aria-label="AI-assisted work by tool">
          <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-1.5 pr-3 font-medium">Tool</th>
              <th scope="col" className="py-1.5 pr-3 text-right font-medium">AI-assisted PRs</th>
              <th scope="col" className="py-1.5 pr-3 text-right font-medium">Share of merged PRs</th>
              <th scope="col" className="py-1.5 pr-3 text-right font-medium">AI co-authored commits</th>
              <th scope="col" className="py-1.5 text-right font-medium">Share of commits</th>
            </tr>
          </thead>
          <tbody>
            {g.byTool.map((r) => (
              <tr key={r.slug} className="border-b border-slate-100 last:border-0">
                <th scope="row" className="py-1.5 pr-3 font-medium text-slate-800">{r.name}</th>
                <td className="py-1.5 pr-3 text-right">{formatExact(r.aiMergedPrs)}</td>
                <td className="py-1.5 pr-3 text-right">{formatPct(sharePct(r.aiMergedPrs, t.mergedPrs))}</td>
                <td className="py-1.5 pr-3 text-right">{formatExact(r.aiCommits)}</td>
                <td className="py-1.5 text-right">{formatPct(sharePct(r.aiCommits, t.landedCommits))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="text-slate-700" data-testid="merge-times">
        Median time from open to merge: AI-assisted PRs <span className="font-semibold">{hours(g.mergeTime.ai.medianHours)}</span> over{" "}
        {g.mergeTime.ai.count} PR{g.mergeTime.ai.count === 1 ? "" : "s"}
        {small(g.mergeTime.ai.count)}; other PRs <span className="font-semibold">{hours(g.mergeTime.other.medianHours)}</span> over {g.mergeTime.other.count} PR
        {g.mergeTime.other.count === 1 ? "" : "s"}
        {small(g.mergeTime.other.count)}.
      </p>
    </div>
  );
}
