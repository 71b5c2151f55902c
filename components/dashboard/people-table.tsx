import { getTeamPeople } from "@/lib/queries/get-team-people";
import type { PeopleViewer } from "@/lib/queries/people-access";
import { formatCompact, formatExact, formatUsd } from "@/lib/charts/format";
import type { Period } from "@/lib/time/period";
import type { SearchParams } from "@/lib/queries/params";
import { EmptyState } from "@/components/dashboard/ui";
import { Pager, pageOf } from "@/components/dashboard/pager";

const PAGE = 25;

/** Per-person figures, only for those allowed (the query enforces the privacy floor). */
export async function PeopleTable(props: { team: string; period: Period; viewer: PeopleViewer; params?: SearchParams }) {
  const p = await getTeamPeople(props);
  if (p.access === "not-allowed") {
    return <EmptyState title="Per-person figures are not shown to you">Admins, and managers of this team, can see them.</EmptyState>;
  }
  if (p.access === "privacy-floor") {
    return (
      <EmptyState title="Too few active people to show individuals">
        This team had {p.activeUsers} active {p.activeUsers === 1 ? "person" : "people"} in the period; per-person figures need at least {p.minGroup}.
      </EmptyState>
    );
  }
  if (p.people.length === 0) return <EmptyState title="Nobody in this team yet" />;
  // A group lists everyone below it: 25 a page.
  const { page, pages, offset } = pageOf(props.params?.people, p.people.length, PAGE);
  const shown = p.people.slice(offset, offset + PAGE);
  return (
    <div className="relative overflow-x-auto">
      {p.teamsBelowFloor > 0 && (
        <p className="mb-2 rounded bg-slate-50 px-2 py-1 text-xs text-slate-600" data-testid="people-below-floor">
          People of {p.teamsBelowFloor} {p.teamsBelowFloor === 1 ? "team" : "teams"} with fewer than {p.minGroup} active people are not listed.
        </p>
      )}
      {p.activeUsers < p.minGroup && (
        <p className="mb-2 rounded bg-amber-50 px-2 py-1 text-xs text-amber-800">Below the privacy floor of {p.minGroup}: visible to you as an admin only.</p>
      )}
      <table className="w-full min-w-[560px] border-collapse text-sm tabular-nums" data-testid="people">
        <caption className="sr-only">People of the team and their usage in the period</caption>
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2 text-left font-medium">Person</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Tokens</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Invocations</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Active days</th>
            <th scope="col" className="px-3 py-2 text-left font-medium">Last active</th>
            <th scope="col" className="px-3 py-2 text-left font-medium">Tools</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Cost</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((x) => (
            <tr key={x.id} className="border-b border-slate-100 last:border-0">
              <th scope="row" className="px-3 py-2 text-left font-medium">
                {x.name} <span className="block text-xs font-normal text-slate-500">{x.email}{x.member ? "" : " · not a member now"}</span>
              </th>
              <td className="whitespace-nowrap px-3 py-2 text-right" title={formatExact(x.tokens)}>{formatCompact(x.tokens)}</td>
              <td className="whitespace-nowrap px-3 py-2 text-right" title={formatExact(x.invocations)}>{formatCompact(x.invocations)}</td>
              <td className="whitespace-nowrap px-3 py-2 text-right">{x.activeDays}</td>
              <td className="whitespace-nowrap px-3 py-2">{x.lastActiveDay ?? <span className="text-slate-400">never in period</span>}</td>
              <td className="px-3 py-2 text-xs">
                {x.tools.length
                  ? x.tools.map((t, i) => (
                      <span key={t} className="whitespace-nowrap">
                        {t}
                        {i < x.tools.length - 1 ? ", " : ""}
                      </span>
                    ))
                  : "—"}
              </td>
              <td className="whitespace-nowrap px-3 py-2 text-right">{formatUsd(x.costUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager path={`/teams/${props.team}`} params={props.params ?? {}} param="people" page={page} pages={pages} size={PAGE} total={p.people.length} label="People" />
    </div>
  );
}
