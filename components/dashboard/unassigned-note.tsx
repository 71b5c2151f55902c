import Link from "next/link";
import type { LeaderboardRow } from "@/lib/queries/get-leaderboard";
import { formatCompact, formatExact } from "@/lib/charts/format";

/**
 * `unassigned` is not a team: usage that no team claimed (no team in the event, an identity
 * not mapped to a person). It is listed apart, below a ranking, with the way to fix it.
 */
export function UnassignedNote({ rows }: { rows: LeaderboardRow[] }) {
  const u = rows.filter((r) => r.unranked && (r.tokens > 0 || r.invocations > 0));
  if (u.length === 0) return null;
  const tokens = u.reduce((s, r) => s + r.tokens, 0);
  const invocations = u.reduce((s, r) => s + r.invocations, 0);
  return (
    <div className="mx-3 my-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="unassigned">
      <span className="font-medium">Not ranked — unassigned usage:</span>{" "}
      <span title={`${formatExact(tokens)} tokens`} className="whitespace-nowrap">{formatCompact(tokens)} tokens</span>,{" "}
      <span className="whitespace-nowrap">{formatExact(invocations)} invocations</span> that no team claimed (events without a team whose
      identity is not mapped to a person).{" "}
      <Link href="/admin/identities" className="whitespace-nowrap font-medium underline">
        Map its identities →
      </Link>
    </div>
  );
}
