import Link from "next/link";
import { requireViewer } from "@/lib/auth/viewer";
import { config } from "@/lib/config";
import { loadOrg } from "@/lib/queries/org";
import { canManageTeam } from "@/lib/insights/goals";
import { listAlerts, listDeliveries, listRules } from "@/lib/insights/alerts";
import { RULE_INFO, RULE_KINDS } from "@/lib/insights/rules";
import { EmptyState, PageHeader, Panel } from "@/components/dashboard/ui";
import { TableHead } from "@/components/admin/table-head";
import { ActionForm } from "@/components/admin/action-form";
import { inputClass, labelClass } from "@/components/admin/styles";
import { createRuleAction, removeRuleAction, subscribeAction } from "./actions";

export const metadata = { title: "Alerts" };

const when = (iso: string | null) => (iso ? iso.replace("T", " ").slice(0, 16) + " UTC" : "—");
const smallButton = "rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50";

export default async function AlertsPage() {
  const viewer = await requireViewer();
  const [org, rules, alerts, deliveries] = await Promise.all([loadOrg(), listRules(viewer), listAlerts(), listDeliveries(viewer, 50)]);
  const manageable = org.teams.filter((t) => !t.archived && canManageTeam(viewer, t.id)).sort((a, b) => a.path.localeCompare(b.path));
  const emailOn = Boolean(config().WAKEBOARD_SMTP_URL);
  return (
    <>
      <PageHeader
        title="Alerts"
        subtitle="Rules on a team or the whole org, checked after each aggregation cycle; each fires once per crossing. Choose which reach you by email."
      >
        <div className="flex gap-3 text-sm">
          <Link className="text-brand-700 hover:underline" href="/me/notifications">What reaches me</Link>
          {viewer.role === "admin" && <Link className="text-brand-700 hover:underline" href="/alerts/webhooks">Webhooks (chat)</Link>}
        </div>
      </PageHeader>
      {!emailOn && <p className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">Email is off on this server (WAKEBOARD_SMTP_URL is not set): alerts are recorded here and sent to webhooks only.</p>}

      {manageable.length > 0 && (
        <Panel title="Add an alert" description="Goal rules use the goals of the team and its sub-teams (set them on the Goals page).">
          <ActionForm action={createRuleAction} submit="Add alert" success="Alert added." reset>
            <label className={labelClass}>
              On
              <select name="team" className={inputClass} defaultValue={manageable[0]?.slug}>
                {viewer.role === "admin" && <option value="">The whole org</option>}
                {manageable.map((t) => (
                  <option key={t.slug} value={t.slug}>{t.name} ({t.path})</option>
                ))}
              </select>
            </label>
            <label className={labelClass}>
              When
              <select name="kind" className={inputClass} defaultValue="ceiling">
                {RULE_KINDS.map((k) => (
                  <option key={k} value={k}>{RULE_INFO[k].label}</option>
                ))}
              </select>
            </label>
            <label className={labelClass}>
              Threshold (adoption: points, tool: hours)
              <input name="threshold" type="number" step="any" min="0" placeholder="default: 5 points / 24 h" className={`${inputClass} w-56`} />
            </label>
            <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
              <input type="checkbox" name="subscribe" defaultChecked /> Email me
            </label>
          </ActionForm>
        </Panel>
      )}

      <div className="mt-6">
        <Panel title="Rules" description="Subscribe to any rule: alerts carry team-level figures only.">
          {rules.length === 0 ? (
            <EmptyState title="No alert rules yet">{manageable.length ? "Add one above." : "Admins and team managers add them."}</EmptyState>
          ) : (
            <table className="w-full text-left text-sm" data-testid="alert-rules">
              <TableHead columns={["Rule", "On", "Fired", "Last fired", "Email me", ""]} />
              <tbody>
                {rules.map((r) => (
                  <tr key={r.id} className="border-b border-slate-100 align-middle" data-rule={r.id}>
                    <td className="py-2 pr-3">{r.label}{r.thresholdText && <span className="text-slate-500"> — {r.thresholdText}</span>}</td>
                    <td className="py-2 pr-3">{r.team ? <Link className="hover:underline" href={`/teams/${r.team.slug}`}>{r.team.name}</Link> : "The whole org"}</td>
                    <td className="py-2 pr-3 tabular-nums">{r.fired}</td>
                    <td className="py-2 pr-3 tabular-nums">{when(r.lastFiredAt)}</td>
                    <td className="py-2 pr-3">
                      <ActionForm action={subscribeAction} submit={r.subscribed ? "Subscribed ✓ — stop" : "Email me"} className="flex items-center gap-2" buttonClass={smallButton}>
                        <input type="hidden" name="ruleId" value={r.id} />
                        <input type="hidden" name="email" value={r.subscribed ? "off" : "on"} />
                      </ActionForm>
                    </td>
                    <td className="py-2">
                      {r.canManage && (
                        <ActionForm action={removeRuleAction} submit="Remove" confirm="Remove this alert rule? Its history stays." buttonClass="text-xs text-slate-500 hover:text-rose-700">
                          <input type="hidden" name="id" value={r.id} />
                        </ActionForm>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
      </div>

      <div className="mt-6">
        <Panel title="History" description="Every alert that fired, newest first.">
          {alerts.length === 0 ? (
            <EmptyState title="Nothing has fired yet" />
          ) : (
            <ol className="divide-y divide-slate-100" aria-label="Alert history">
              {alerts.map((a) => (
                <li key={a.id} className="py-2 text-sm">
                  <div className="flex flex-wrap items-baseline gap-x-3">
                    <span className="tabular-nums text-xs text-slate-500">{when(a.firedAt)}</span>
                    <Link href={a.link} className="font-medium text-slate-900 hover:underline">{a.title}</Link>
                    <span className="text-xs text-slate-500">
                      {a.deliveries.length ? a.deliveries.map((d) => `${d.channel} ${d.status}`).join(", ") : "no subscribers"}
                    </span>
                  </div>
                  <p className="text-slate-600">{a.message}</p>
                </li>
              ))}
            </ol>
          )}
        </Panel>
      </div>

      <div className="mt-6">
        <Panel title="Delivery log" description={viewer.role === "admin" ? "Every email and webhook delivery, with retries." : "Your emails, with retries."}>
          {deliveries.length === 0 ? (
            <EmptyState title="Nothing delivered yet" />
          ) : (
            <table className="w-full text-left text-sm" data-testid="deliveries">
              <TableHead columns={["Created", "What", "Channel", "To", "Status", "Attempts", "Last error"]} />
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.id} className="border-b border-slate-100">
                    <td className="py-1.5 pr-3 tabular-nums text-xs">{when(d.createdAt)}</td>
                    <td className="py-1.5 pr-3">{d.subject}</td>
                    <td className="py-1.5 pr-3">{d.channel}</td>
                    <td className="py-1.5 pr-3 text-xs">{d.target}</td>
                    <td className="py-1.5 pr-3">{d.status}{d.status === "pending" && d.attempts > 0 ? ` (next ${when(d.nextAttemptAt)})` : ""}</td>
                    <td className="py-1.5 pr-3 tabular-nums">{d.attempts}</td>
                    <td className="py-1.5 text-xs text-rose-700">{d.lastError ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
      </div>
    </>
  );
}
