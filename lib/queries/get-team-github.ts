import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import type { Period } from "@/lib/time/period";
import { loadOrg } from "@/lib/queries/org";
import { getTools, toolIdsFor } from "@/lib/queries/catalog";
import { NotFoundError } from "@/lib/queries/errors";
import { githubSums, GITHUB_ZERO, type GithubSums } from "@/lib/queries/github-sums";
import { dayOf, mergedPullRequests } from "@/lib/github/rollup";
export { sharePct } from "@/lib/queries/metrics";

// The team page's "Outcomes on GitHub": the team's (and its sub-teams') commits and merged
// pull requests over the period, AI-assisted ones per tool, and the median time from open
// to merge for AI-assisted vs other merged PRs, each with its count so a small sample shows.

export interface TeamGithub {
  totals: GithubSums;
  byTool: { slug: string; name: string; aiCommits: number; aiMergedPrs: number }[];
  /** Median open→merge in hours; null without PRs. */
  mergeTime: { ai: { medianHours: number | null; count: number }; other: { medianHours: number | null; count: number } };
}

/** With `tools`, "AI-assisted" means assisted by one of those tools (as on the leaderboard). */
export async function getTeamGithub(opts: { team: string; period: Period; tools?: string[] }): Promise<TeamGithub> {
  const [org, tools] = await Promise.all([loadOrg(), getTools()]);
  const team = org.bySlug.get(opts.team);
  if (!team) throw new NotFoundError("team", opts.team);
  const ids = org.subtree(team.id);
  const units = ids.map((id) => [id, 0] as const);
  const window = { from: opts.period.from, to: opts.period.to };
  const toolIds = toolIdsFor(tools, opts.tools);
  const slugs = opts.tools?.length ? opts.tools : null;
  const aiPr = slugs ? Prisma.sql`p.ai_tools && ${slugs}::text[]` : Prisma.sql`cardinality(p.ai_tools) > 0`;
  const prisma = await db();
  const [total, perTool, times] = await Promise.all([
    githubSums({ windows: [window], units, toolIds }),
    prisma.$queryRaw<{ tool_id: number; ai_commits: number; ai_merged_prs: number }[]>`
      SELECT tool_id, sum(ai_commits)::int AS ai_commits, sum(ai_merged_prs)::int AS ai_merged_prs FROM github_daily
      WHERE team_id = ANY(${ids}::int[]) AND tool_id <> 0 AND (${toolIds ?? null}::int[] IS NULL OR tool_id = ANY(${toolIds ?? null}::int[])) AND day BETWEEN ${window.from}::date AND ${window.to}::date
      GROUP BY tool_id`,
    prisma.$queryRaw<{ ai: boolean; n: number; median_hours: number | null }[]>`
      SELECT ${aiPr} AS ai, count(*)::int AS n,
        (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM p.merged_at - p.opened_at)) / 3600)::float8 AS median_hours
      FROM ${mergedPullRequests(Prisma.sql`pr.team_id = ANY(${ids}::int[]) AND ${dayOf(Prisma.sql`pr.merged_at`)} BETWEEN ${window.from}::date AND ${window.to}::date`)} p
      GROUP BY 1`,
  ]);
  const name = new Map(tools.map((t) => [t.id, { slug: t.slug, name: t.name }]));
  const time = (ai: boolean) => {
    const r = times.find((t) => t.ai === ai);
    return { medianHours: r?.median_hours ?? null, count: r?.n ?? 0 };
  };
  return {
    totals: total[0] ? { landedCommits: total[0].landedCommits, aiCommits: total[0].aiCommits, mergedPrs: total[0].mergedPrs, aiMergedPrs: total[0].aiMergedPrs } : GITHUB_ZERO,
    byTool: perTool
      .filter((r) => name.has(r.tool_id))
      .map((r) => ({ ...name.get(r.tool_id)!, aiCommits: r.ai_commits, aiMergedPrs: r.ai_merged_prs }))
      .sort((a, b) => b.aiMergedPrs - a.aiMergedPrs || b.aiCommits - a.aiCommits || (a.slug < b.slug ? -1 : 1)),
    mergeTime: { ai: time(true), other: time(false) },
  };
}
