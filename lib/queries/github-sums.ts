import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import type { IsoDate } from "@/lib/time/calendar";

// GitHub outcomes (docs/github.md) summed from the github_daily rollup, for one or more
// windows of days, team → org unit like aggregateUsage, optionally by day or ISO week.
// Under a tool filter the AI-assisted counts are those the chosen tools' signals named;
// the totals (commits, merged PRs) stay over everything, so a share reads "of all work".

export interface GithubSums {
  /** Commits that landed on default branches (not the usage-reported `commits`). */
  landedCommits: number;
  aiCommits: number;
  mergedPrs: number;
  aiMergedPrs: number;
}

export const GITHUB_ZERO: GithubSums = { landedCommits: 0, aiCommits: 0, mergedPrs: 0, aiMergedPrs: 0 };

export interface GithubSumsRow extends GithubSums {
  window: number;
  unitId: number;
  bucket?: IsoDate;
}

export async function githubSums(opts: {
  windows: { from: IsoDate; to: IsoDate }[];
  units: Iterable<readonly [number, number]>;
  toolIds?: number[];
  by?: "day" | "week";
}): Promise<GithubSumsRow[]> {
  const pairs = [...opts.units];
  if (!pairs.length || !opts.windows.length) return [];
  const ai = opts.toolIds ? Prisma.sql`d.tool_id = ANY(${opts.toolIds}::int[])` : Prisma.sql`d.tool_id = 0`;
  const bucket =
    opts.by === "day" ? Prisma.sql`d.day::text` : opts.by === "week" ? Prisma.sql`date_trunc('week', d.day)::date::text` : Prisma.sql`NULL::text`;
  const prisma = await db();
  const rows = await prisma.$queryRaw<{ w: number; unit_id: number; bucket: string | null; landed: number; ai_commits: number; merged: number; ai_merged: number }[]>`
    SELECT w.i AS w, u.unit_id, ${bucket} AS bucket,
      coalesce(sum(d.commits) FILTER (WHERE d.tool_id = 0), 0)::int AS landed,
      coalesce(sum(d.ai_commits) FILTER (WHERE ${ai}), 0)::int AS ai_commits,
      coalesce(sum(d.merged_prs) FILTER (WHERE d.tool_id = 0), 0)::int AS merged,
      coalesce(sum(d.ai_merged_prs) FILTER (WHERE ${ai}), 0)::int AS ai_merged
    FROM github_daily d
    JOIN unnest(${pairs.map((p) => p[0])}::int[], ${pairs.map((p) => p[1])}::int[]) AS u(team_id, unit_id) ON u.team_id = d.team_id
    JOIN unnest(${opts.windows.map((w) => w.from)}::date[], ${opts.windows.map((w) => w.to)}::date[], ${opts.windows.map((_, i) => i)}::int[]) AS w(f, t, i)
      ON d.day BETWEEN w.f AND w.t
    GROUP BY 1, 2, 3`;
  return rows.map((r) => ({
    window: r.w,
    unitId: r.unit_id,
    ...(r.bucket ? { bucket: r.bucket as IsoDate } : {}),
    landedCommits: r.landed,
    aiCommits: r.ai_commits,
    mergedPrs: r.merged,
    aiMergedPrs: r.ai_merged,
  }));
}
