import { getFirstDays } from "@/lib/queries/first-days";
import { periodNotice, type SearchParams } from "@/lib/queries/params";
import { shortDate } from "@/lib/time/calendar";
import { inFuture, type Period } from "@/lib/time/period";

/**
 * Says what a period really covers: an unusable `period` parameter (shown as the default
 * instead), a period that starts before the first data, or one that lies in the future.
 */
export async function PeriodNote({ sp, period }: { sp: SearchParams; period: Period }) {
  const notes: string[] = [];
  const bad = periodNotice(sp);
  if (bad) notes.push(bad);
  if (inFuture(period)) notes.push("This period has not started yet: there is no data for it.");
  else {
    const first = [...(await getFirstDays()).values()].sort()[0];
    if (!first) notes.push("No usage has been reported yet.");
    else if (first > period.to) notes.push(`This period ends before the first data (${shortDate(first, true)}).`);
    else if (first > period.from) notes.push(`Data starts ${shortDate(first, true)}: the days of this period before it have no data, and changes against the previous period are not computed.`);
  }
  if (notes.length === 0) return null;
  return (
    <div role="note" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="period-note">
      {notes.map((n) => (
        <p key={n}>{n}</p>
      ))}
    </div>
  );
}
