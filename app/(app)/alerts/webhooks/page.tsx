import { requireViewer } from "@/lib/auth/viewer";
import { db } from "@/lib/db/client";
import { listRules } from "@/lib/insights/alerts";
import { PageHeader, Panel, EmptyState } from "@/components/dashboard/ui";
import { ActionForm } from "@/components/admin/action-form";
import { inputClass, labelClass } from "@/components/admin/styles";
import { WebhookCreateForm } from "@/components/insights/webhook-create-form";
import { removeWebhookAction, webhookSubscriptionAction } from "../actions";

export const metadata = { title: "Webhooks" };

const small = "rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50";

export default async function WebhooksPage() {
  const viewer = await requireViewer(["admin"]);
  const prisma = await db();
  const [hooks, rules] = await Promise.all([prisma.webhook.findMany({ where: { disabledAt: null }, orderBy: { id: "asc" } }), listRules(viewer)]);
  return (
    <>
      <PageHeader title="Webhooks" subtitle="Alerts and the digest as Slack-compatible JSON, signed with HMAC-SHA256 (X-Wakeboard-Signature), retried with backoff. See docs/alerts.md." />
      <Panel title="Add a webhook" description="The signing secret is shown once.">
        <WebhookCreateForm inputClass={inputClass} labelClass={labelClass} />
      </Panel>
      <div className="mt-6 space-y-4">
        {hooks.length === 0 && <EmptyState title="No webhooks yet" />}
        {hooks.map((h) => (
          <Panel key={h.id} title={h.name} description={`${h.url.replace(/^(https?:\/\/[^/]+).*$/, "$1/…")}${h.digest ? " · receives the Monday digest" : ""} · added by ${h.createdBy}`}>
            <ul className="divide-y divide-slate-100 text-sm">
              {rules.map((r) => {
                const on = r.webhookIds.includes(h.id);
                return (
                  <li key={r.id} className="flex items-center gap-3 py-1.5">
                    <span className="flex-1">{r.label} — {r.team?.name ?? "the whole org"}</span>
                    <ActionForm action={webhookSubscriptionAction} submit={on ? "Sending ✓ — stop" : "Send here"} buttonClass={small}>
                      <input type="hidden" name="ruleId" value={r.id} />
                      <input type="hidden" name="webhookId" value={h.id} />
                      <input type="hidden" name="on" value={on ? "off" : "on"} />
                    </ActionForm>
                  </li>
                );
              })}
            </ul>
            <ActionForm action={removeWebhookAction} submit="Remove webhook" confirm={`Remove ${h.name}?`} className="mt-3" buttonClass="text-xs text-slate-500 hover:text-rose-700">
              <input type="hidden" name="id" value={h.id} />
            </ActionForm>
          </Panel>
        ))}
      </div>
    </>
  );
}
