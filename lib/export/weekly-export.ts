import { config } from "@/lib/config";
import { resolvePeriod, type Period } from "@/lib/time/period";
import { getLeaderboard, type LeaderboardRow } from "@/lib/queries/get-leaderboard";
import { getTools } from "@/lib/queries/catalog";
import { hasUsage, sharePct, type Figures, type Sums } from "@/lib/queries/metrics";
import type { PeopleViewer } from "@/lib/queries/people-access";
import { streamPersonParts } from "@/lib/queries/stream-person-parts";
import { exportColumns, exportFileName, type ExportColumn, type ExportGrain, type ExportRecord } from "@/lib/export/columns";
import { assertMayExport, type ExportRequester } from "@/lib/export/access";

// The weekly export's rows (DESIGN.md §8), read through the leaderboard query so every
// figure is the one the dashboard shows for that ISO week:
// - team: the leaderboard's "teams" view (every team, also those without usage), ranked by tokens;
// - team-tool: per tool, that tool's leaderboard — teams ranked among the users of the tool —
//   with rows only where the team used it, ordered by tool then rank;
// - person: each team's people, ranked within the team, for those allowed (§5, §7).
// The first query runs before this returns, so a database error is an error response,
// not a cut-off file; the rows are then produced lazily for a streamed writer.

export interface WeeklyExportOptions {
  /** An ISO week such as "2026-W48", in WAKEBOARD_TZ. */
  week: string;
  grain: ExportGrain;
  requester: ExportRequester;
  /** Only this org unit and its sub-teams (an API key restricted to a team). */
  unit?: string | null;
}

export interface WeeklyExport {
  week: string;
  grain: ExportGrain;
  period: Period;
  fileName: string;
  columns: ExportColumn[];
  rows: AsyncGenerator<ExportRecord>;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

function figures(f: Sums & { headcount: number; adoptionPct: number | null }): ExportRecord {
  return {
    headcount: f.headcount,
    active_users: f.activeUsers,
    adoption_pct: f.adoptionPct,
    invocations: f.invocations,
    input_tokens: f.inputTokens,
    output_tokens: f.outputTokens,
    cache_read_tokens: f.cacheReadTokens,
    cache_write_tokens: f.cacheWriteTokens,
    total_tokens: f.tokens,
    cost_usd: round6(f.costUsd),
  };
}

/** GitHub outcomes of a team row; under the team × tool grain the AI-assisted counts are that tool's. */
function github(f: Figures): ExportRecord {
  const merged = f.mergedPrs ?? 0;
  const landed = f.landedCommits ?? 0;
  return {
    merged_prs: merged,
    ai_merged_prs: f.aiMergedPrs ?? 0,
    ai_pr_share_pct: sharePct(f.aiMergedPrs ?? 0, merged),
    landed_commits: landed,
    ai_commits: f.aiCommits ?? 0,
    ai_commit_share_pct: sharePct(f.aiCommits ?? 0, landed),
  };
}

const teamCells = (week: string, r: LeaderboardRow): ExportRecord => ({ week, team: r.slug, team_path: r.path });

export async function openWeeklyExport(opts: WeeklyExportOptions): Promise<WeeklyExport> {
  assertMayExport(opts.requester, opts.grain);
  const period = resolvePeriod(opts.week, { tz: config().WAKEBOARD_TZ });
  if (period.kind !== "week") throw new RangeError(`${opts.week} is not an ISO week`);
  const board = await getLeaderboard({ period, metric: "tokens", view: "teams", unit: opts.unit, sparkline: false });
  const week = opts.week;

  async function* teamRows(): AsyncGenerator<ExportRecord> {
    for (const r of board.rows) yield { ...teamCells(week, r), ...figures(r), rank: r.rank, rank_change: r.rankChange, ...github(r) };
  }

  async function* teamToolRows(): AsyncGenerator<ExportRecord> {
    for (const tool of await getTools()) {
      const perTool = await getLeaderboard({ period, metric: "tokens", view: "teams", unit: opts.unit, tools: [tool.slug], sparkline: false });
      for (const r of perTool.rows) {
        if (!hasUsage(r)) continue;
        yield { ...teamCells(week, r), tool: tool.slug, ...figures(r), rank: r.rank, rank_change: r.rankChange, ...github(r) };
      }
    }
  }

  async function* personRows(): AsyncGenerator<ExportRecord> {
    const r = opts.requester;
    // The operator (CLI, schedule) sees every team, as an admin; a key never gets here (assertMayExport).
    const viewer: PeopleViewer | null = r.kind === "viewer" ? r.viewer : r.kind === "system" ? { role: "admin", managedTeamIds: [] } : null;
    for await (const { row, parts } of streamPersonParts({ rows: board.rows, period, previous: board.previous, viewer })) {
      for (const p of parts) {
        yield {
          ...teamCells(week, row),
          person_email: p.person?.email ?? null,
          person_name: p.person?.name ?? null,
          ...figures({ ...p, headcount: row.headcount, adoptionPct: null }),
          rank: p.rank,
          rank_change: p.rankChange,
        };
      }
    }
  }

  const rows = opts.grain === "team" ? teamRows() : opts.grain === "team-tool" ? teamToolRows() : personRows();
  return { week, grain: opts.grain, period, fileName: exportFileName(week, opts.grain), columns: exportColumns(opts.grain), rows };
}
