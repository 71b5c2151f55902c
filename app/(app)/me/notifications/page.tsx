import Link from "next/link";
import { requireViewer } from "@/lib/auth/viewer";
import { config } from "@/lib/config";
import { loadOrg } from "@/lib/queries/org";
import { RULE_INFO, type RuleKind } from "@/lib/insights/rules";
import { digestEmailOn, mySubscriptions, rankIndividualsOn } from "@/lib/insights/preferences";
import { PageHeader, Panel } from "@/components/dashboard/ui";
import { ActionForm } from "@/components/admin/action-form";
import { digestPreferenceAction, rankIndividualsAction } from "../actions";
import { subscribeAction } from "../../alerts/actions";

export const metadata = { title: "What reaches me" };

const button = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50";

export default async function NotificationsPage() {
  const viewer = await requireViewer();
  const [digest, subs, org, ranking] = await Promise.all([digestEmailOn(viewer.id), mySubscriptions(viewer.id), loadOrg(), rankIndividualsOn()]);
  const receivesDigest = viewer.role !== "viewer";
  return (
    <>
      <PageHeader title="What reaches me" subtitle={`Email goes to ${viewer.email}${config().WAKEBOARD_SMTP_URL ? "" : " — but email is off on this server (WAKEBOARD_SMTP_URL is not set)"}.`} />
      <div className="grid gap-4 lg:grid-cols-2">
        <Panel title="Monday digest" description="Your teams' ranks and movement, the org's biggest movers, adoption, goals and silent tools — every Monday after the weekly export.">
          {receivesDigest ? (
            <ActionForm action={digestPreferenceAction} submit={digest ? "Stop the digest" : "Send me the digest"} buttonClass={button} className="flex items-center gap-3">
              <span className="text-sm text-slate-700">{digest ? "You receive it by email." : "You do not receive it."}</span>
              <input type="hidden" name="digest" value={digest ? "off" : "on"} />
            </ActionForm>
          ) : (
            <p className="text-sm text-slate-600">The digest goes to managers (their teams) and admins (the whole org).</p>
          )}
        </Panel>
        <Panel title="Alerts by email" description={<>Subscribe on the <Link className="text-brand-700 hover:underline" href="/alerts">Alerts</Link> page.</>}>
          {subs.length === 0 ? (
            <p className="text-sm text-slate-600">No alerts reach you.</p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm">
              {subs.map((s) => {
                const team = s.rule.teamId === null ? null : org.byId.get(s.rule.teamId);
                return (
                  <li key={s.id} className="flex items-center gap-3 py-1.5">
                    <span className="flex-1">{RULE_INFO[s.rule.kind as RuleKind]?.label ?? s.rule.kind} — {team?.name ?? "the whole org"}</span>
                    <ActionForm action={subscribeAction} submit="Unsubscribe" buttonClass="text-xs text-slate-500 hover:text-rose-700">
                      <input type="hidden" name="ruleId" value={s.ruleId} />
                      <input type="hidden" name="email" value="off" />
                    </ActionForm>
                  </li>
                );
              })}
            </ul>
          )}
        </Panel>
        {viewer.role === "admin" && (
          <Panel title="Ranking individuals (org-wide)" description="Off by default: people see their own figures on My usage, never a rank among colleagues. Admins may turn ranks on.">
            <ActionForm action={rankIndividualsAction} submit={ranking ? "Turn ranking off" : "Turn ranking on"} buttonClass={button} className="flex items-center gap-3">
              <span className="text-sm text-slate-700">{ranking ? "On: My usage shows each person's rank within their team." : "Off."}</span>
              <input type="hidden" name="rank" value={ranking ? "off" : "on"} />
            </ActionForm>
          </Panel>
        )}
      </div>
    </>
  );
}
