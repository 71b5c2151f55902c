import Link from "next/link";
import { getLeaderboard } from "@/lib/queries/get-leaderboard";
import type { Period } from "@/lib/time/period";
import { formatPeriodParam } from "@/lib/time/period";
import { LeaderboardTable } from "@/components/dashboard/leaderboard-table";
import { EmptyState } from "@/components/dashboard/ui";

/** The overview's top 10 teams by tokens. */
export async function TopTeams({ period }: { period: Period }) {
  const board = await getLeaderboard({ period, metric: "tokens", sparkline: false });
  const rows = board.rows.filter((r) => r.tokens > 0 && !r.unranked).slice(0, 10);
  if (rows.length === 0) return <EmptyState title="No usage yet">Connect a tool on the “Connect a tool” page.</EmptyState>;
  return (
    <>
      <LeaderboardTable rows={rows} metric="tokens" sort="rank" dir="asc" path="/" params={{}} caption="Top 10 teams by tokens" compact />
      <p className="mt-3 text-right text-sm">
        <Link className="text-brand-700 hover:underline" href={`/leaderboard?period=${formatPeriodParam(period)}`}>
          Full leaderboard →
        </Link>
      </p>
    </>
  );
}
