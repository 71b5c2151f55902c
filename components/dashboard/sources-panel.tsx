import { getTeamSources } from "@/lib/queries/get-team-sources";
import { EmptyState } from "@/components/dashboard/ui";

function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 90) return "just now";
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 129600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

/** Which tools report for the team, and how many of its people have ever reported. */
export async function SourcesPanel({ team }: { team: string }) {
  const s = await getTeamSources({ team });
  const now = Date.now();
  return (
    <div className="text-sm">
      <p className="text-slate-700">
        <span className="font-semibold">{s.reportingMembers}</span> of {s.members} current members have reported usage at least once.
        {s.members > 0 && s.reportingMembers < s.members && (
          <span className="text-slate-500"> The others may not have connected a tool yet — that is not the same as not using one.</span>
        )}
      </p>
      {s.tools.length === 0 ? (
        <div className="mt-3">
          <EmptyState title="No tool has reported for this team">See “Connect a tool” for setup snippets.</EmptyState>
        </div>
      ) : (
        <ul className="mt-3 divide-y divide-slate-100" data-testid="sources">
          {s.tools.map((t) => (
            <li key={t.tool} className="flex flex-wrap items-baseline justify-between gap-2 py-1.5">
              <span className="font-medium text-slate-800">{t.name}</span>
              <span className="text-xs text-slate-500">
                {t.lastEventAt ? <time dateTime={t.lastEventAt} title={t.lastEventAt}>last event {ago(t.lastEventAt, now)}</time> : "no events for this team"} ·{" "}
                {t.reportingMembers} of {s.members} people
              </span>
              {t.paths.length > 0 && (
                <span className="w-full text-xs text-slate-500" data-testid={`paths-${t.tool}`}>
                  via{" "}
                  {t.paths.map((p, i) => (
                    <span key={p.label}>
                      {i > 0 && ", "}
                      {p.label}
                      {p.connector && (
                        <>
                          {" "}
                          (final after {p.connector.finalAfterDays} days;{" "}
                          {p.connector.lastSuccessAt ? `last pulled ${ago(p.connector.lastSuccessAt, now)}` : "not pulled yet"}; days from {p.connector.openFrom} may still be revised)
                        </>
                      )}
                    </span>
                  ))}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
