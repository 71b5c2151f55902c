import type { LeaderboardRow } from "@/lib/queries/get-leaderboard";
import type { SortKey } from "@/lib/queries/params";

// Display order of the leaderboard table when a column header is clicked. Ranks never
// change with the display order; empty values sort last in both directions.

const VALUE: Record<SortKey, (r: LeaderboardRow) => number | string | null> = {
  rank: (r) => r.rank,
  team: (r) => r.name.toLowerCase(),
  tokens: (r) => r.tokens,
  invocations: (r) => r.invocations,
  active_users: (r) => r.activeUsers,
  adoption: (r) => r.adoptionPct,
  tokens_per_engineer: (r) => r.tokensPerEngineer,
  growth: (r) => r.growthPct,
  cost: (r) => r.costUsd,
  headcount: (r) => r.headcount,
};

/** The natural direction of a column: ranks and names ascending, figures descending. */
export const defaultDir = (key: SortKey): "asc" | "desc" => (key === "rank" || key === "team" ? "asc" : "desc");

export function sortLeaderboard(rows: LeaderboardRow[], key: SortKey = "rank", dir: "asc" | "desc" = defaultDir(key)): LeaderboardRow[] {
  const get = VALUE[key];
  const sign = dir === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = get(a);
    const y = get(b);
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
    } else if (x !== y) return (x < y ? -1 : 1) * sign;
    return a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0;
  });
}
