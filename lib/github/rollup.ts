import { Prisma } from "@/lib/generated/prisma/client";
import { config } from "@/lib/config";

type Tx = Prisma.TransactionClient;

// github_daily, the one definition: per day (WAKEBOARD_TZ) and team, commits and merged pull
// requests, how many of them carry an AI signal (tool_id 0 = any tool), and per tool how
// many that tool's signals name. It is recomputed from github_commits and
// github_pull_requests for the (day, team) keys a change touched — by the webhook worker,
// the import and `rollups rebuild` alike — so a fact is counted exactly as often as it is
// stored: once.

/** The day a timestamp falls on in the reporting time zone. */
export const dayOf = (col: Prisma.Sql) => Prisma.sql`(${col} AT TIME ZONE ${config().WAKEBOARD_TZ})::date`;

/**
 * Merged pull requests with the tools their AI signals name: the PR's own signals (author,
 * labels, body) and those of its merge commit when it is known (a squash merge keeps the
 * squashed commits' Co-authored-by trailers). Used by the rollup and by the team page's
 * open→merge times, so both agree on which PRs are AI-assisted.
 */
export function mergedPullRequests(where: Prisma.Sql = Prisma.sql`TRUE`): Prisma.Sql {
  return Prisma.sql`(
    SELECT pr.repo, pr.number, pr.team_id, pr.opened_at, pr.merged_at,
      ARRAY(SELECT DISTINCT t FROM unnest(pr.ai_tools || coalesce(mc.ai_tools, '{}'::text[])) AS t ORDER BY t) AS ai_tools
    FROM github_pull_requests pr
    LEFT JOIN github_commits mc ON mc.repo = pr.repo AND mc.sha = pr.merge_commit_sha
    WHERE pr.merged_at IS NOT NULL AND ${where})`;
}

export interface RollupKeys {
  days: string[];
  teamIds: number[];
}

/** Recomputes github_daily for every (day, team) in days × teams, or all of it when `keys` is null. */
export async function refreshGithubRollup(tx: Tx, keys: RollupKeys | null): Promise<void> {
  if (keys && (!keys.days.length || !keys.teamIds.length)) return;
  const scope = (time: Prisma.Sql, team: Prisma.Sql) =>
    keys ? Prisma.sql`${team} = ANY(${keys.teamIds}::int[]) AND ${dayOf(time)} = ANY(${keys.days}::date[])` : Prisma.sql`TRUE`;
  if (keys) await tx.$executeRaw`DELETE FROM github_daily WHERE team_id = ANY(${keys.teamIds}::int[]) AND day = ANY(${keys.days}::date[])`;
  else await tx.$executeRaw`DELETE FROM github_daily`;
  await tx.$executeRaw`
    WITH facts AS (
      SELECT ${dayOf(Prisma.sql`c.committed_at`)} AS day, c.team_id, 1 AS commits, (cardinality(c.ai_tools) > 0)::int AS ai_commits,
        0 AS merged_prs, 0 AS ai_merged_prs, c.ai_tools
      FROM github_commits c WHERE ${scope(Prisma.sql`c.committed_at`, Prisma.sql`c.team_id`)}
      UNION ALL
      SELECT ${dayOf(Prisma.sql`p.merged_at`)}, p.team_id, 0, 0, 1, (cardinality(p.ai_tools) > 0)::int, p.ai_tools
      FROM ${mergedPullRequests(scope(Prisma.sql`pr.merged_at`, Prisma.sql`pr.team_id`))} p
    )
    INSERT INTO github_daily (day, team_id, tool_id, commits, ai_commits, merged_prs, ai_merged_prs)
    SELECT day, team_id, 0, sum(commits), sum(ai_commits), sum(merged_prs), sum(ai_merged_prs) FROM facts GROUP BY day, team_id
    UNION ALL
    SELECT f.day, f.team_id, t.id, 0, sum(f.ai_commits), 0, sum(f.ai_merged_prs)
    FROM facts f CROSS JOIN LATERAL unnest(f.ai_tools) AS u(slug) JOIN tools t ON t.slug = u.slug
    GROUP BY f.day, f.team_id, t.id`;
}
