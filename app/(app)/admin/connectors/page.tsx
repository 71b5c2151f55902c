import type { Metadata } from "next";
import Link from "next/link";
import { requireViewer } from "@/lib/auth/viewer";
import { listConnectors } from "@/lib/connectors/manage";
import { VENDORS } from "@/lib/connectors/vendors";
import { ActionForm } from "@/components/admin/action-form";
import { TableHead } from "@/components/admin/table-head";
import { AutoRefresh } from "@/components/admin/auto-refresh";
import { inputClass, labelClass } from "@/components/admin/styles";
import { addConnectorAction, removeConnectorAction, runConnectorAction, setCredentialsAction, toggleConnectorAction } from "./actions";

export const metadata: Metadata = { title: "Connectors · Admin" };

const when = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace("T", " ") + " UTC" : "never");
const smallButton = "rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium text-slate-700 hover:bg-slate-50";

export default async function ConnectorsAdminPage() {
  await requireViewer(["admin"]);
  const connectors = await listConnectors({ runs: 8 });
  return (
    <section className="space-y-6">
      <h1 className="text-2xl font-semibold">Connectors</h1>
      <AutoRefresh active={connectors.some((c) => c.running)} />
      <p className="text-sm text-slate-600">
        Connectors pull usage that tools report only to their vendor (GitHub Copilot, the Claude Code Analytics API, Cursor) on a schedule, re-pull the
        days the vendor may still revise, and store it like any other usage. People the vendor names but Wakeboard does not know appear under{" "}
        <Link href="/admin/identities" className="text-brand-700 underline">Unmapped identities</Link>. Setup per vendor: docs/connectors.md.
      </p>

      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-1 font-medium">Add a connector</h2>
        <p className="mb-3 text-sm text-slate-600">Credentials are stored encrypted and are never shown again. The base URL defaults to the vendor&apos;s own API.</p>
        <ActionForm action={addConnectorAction} submit="Add connector" success="Connector added." reset>
          <label className={labelClass}>
            Vendor
            <select name="vendor" className={inputClass} required>
              {VENDORS.map((v) => (
                <option key={v.slug} value={v.slug}>{v.name}</option>
              ))}
            </select>
          </label>
          <label className={labelClass}>
            Name
            <input name="name" required maxLength={64} className={inputClass} placeholder="github-acme" />
          </label>
          <label className={labelClass}>
            Scope (Copilot: orgs/NAME or enterprises/NAME)
            <input name="scope" className={inputClass} placeholder="orgs/acme" />
          </label>
          <label className={labelClass}>
            Base URL
            <input name="baseUrl" type="url" className={`${inputClass} w-72`} placeholder={VENDORS.map((v) => v.defaultBaseUrl).join(" · ")} />
          </label>
          <label className={labelClass}>
            Credentials
            <input name="secret" type="password" required autoComplete="off" className={inputClass} placeholder="token or API key" />
          </label>
          <label className={labelClass}>
            Schedule (cron, UTC)
            <input name="schedule" className={`${inputClass} w-32`} placeholder="0 */6 * * *" />
          </label>
          <label className={labelClass}>
            Backfill days
            <input name="backfillDays" type="number" min={1} max={365} className={`${inputClass} w-24`} placeholder="28" />
          </label>
        </ActionForm>
      </div>

      {connectors.length === 0 && <p className="text-sm text-slate-600">No connectors yet.</p>}
      {connectors.map((c) => {
        const last = c.runs[0];
        return (
          <article key={c.id} data-connector={c.name} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
            <header className="flex flex-wrap items-baseline justify-between gap-2">
              <h2 className="text-lg font-medium">
                {c.name} <span className="text-sm font-normal text-slate-500">{c.vendorName}{c.scope ? ` · ${c.scope}` : ""}</span>
              </h2>
              <p className="text-sm text-slate-600" data-testid="connector-status">
                {c.running ? "Running…" : last ? `Last run ${when(last.startedAt)}: ${last.status}` : "Not run yet"}
                {!c.enabled && " · disabled"}
              </p>
            </header>
            <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
              <div><dt className="text-slate-500">Base URL</dt><dd className="break-all font-mono text-xs">{c.baseUrl}</dd></div>
              <div><dt className="text-slate-500">Schedule (UTC)</dt><dd className="font-mono text-xs">{c.schedule}</dd></div>
              <div><dt className="text-slate-500">Backfill · revision window</dt><dd>{c.backfillDays} days · last {c.revisionDays} days re-pulled</dd></div>
              <div><dt className="text-slate-500">Next day to pull · last success</dt><dd>{c.cursorDay ?? "—"} · {when(c.lastSuccessAt)}</dd></div>
            </dl>
            {c.lastError && (
              <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
                <p><b>Last run failed:</b> {c.lastError}</p>
                {c.lastErrorKind === "credentials" && <p className="mt-1">Scheduled runs are paused until new credentials are entered below.</p>}
              </div>
            )}
            <div className="flex flex-wrap items-end gap-3">
              <ActionForm action={runConnectorAction} submit="Run now" buttonClass={smallButton} className="flex items-end gap-2">
                <input type="hidden" name="id" value={c.id} />
              </ActionForm>
              <ActionForm action={setCredentialsAction} submit="Replace credentials" success="Credentials replaced." reset buttonClass={smallButton} className="flex items-end gap-2">
                <input type="hidden" name="id" value={c.id} />
                <input name="secret" type="password" required autoComplete="off" aria-label={`New credentials for ${c.name}`} className={inputClass} placeholder="new token or key" />
              </ActionForm>
              <ActionForm action={toggleConnectorAction} submit={c.enabled ? "Disable" : "Enable"} buttonClass={smallButton} className="flex items-end gap-2">
                <input type="hidden" name="id" value={c.id} />
                <input type="hidden" name="enabled" value={String(!c.enabled)} />
              </ActionForm>
              <ActionForm action={removeConnectorAction} submit="Remove" confirm={`Remove ${c.name}? The usage it stored stays.`}
                buttonClass="rounded-md border border-red-300 bg-white px-3 py-1 text-sm font-medium text-red-700 hover:bg-red-50" className="flex items-end gap-2">
                <input type="hidden" name="id" value={c.id} />
              </ActionForm>
            </div>
            {c.runs.length > 0 && (
              <table className="w-full text-left text-sm">
                <caption className="sr-only">Recent runs of {c.name}</caption>
                <TableHead columns={["Started", "Trigger", "Status", "Days", "Records", "Events stored", "Revised", "Unchanged", "Retries", "Error"]} />
                <tbody>
                  {c.runs.map((r) => (
                    <tr key={r.id} data-run={r.id} className="border-b border-slate-100 align-top">
                      <td className="py-1.5 pr-3 whitespace-nowrap">{when(r.startedAt)}</td>
                      <td className="py-1.5 pr-3">{r.trigger}</td>
                      <td className={`py-1.5 pr-3 font-medium ${r.status === "ok" ? "text-emerald-700" : r.status === "running" ? "text-slate-600" : "text-red-700"}`}>{r.status}</td>
                      <td className="py-1.5 pr-3">{r.daysPulled}{r.firstDay ? ` (${r.firstDay} … ${r.lastDay})` : ""}</td>
                      <td className="py-1.5 pr-3">{r.records}</td>
                      <td className="py-1.5 pr-3">{r.eventsStored}</td>
                      <td className="py-1.5 pr-3">{r.revised}</td>
                      <td className="py-1.5 pr-3">{r.unchanged}</td>
                      <td className="py-1.5 pr-3">{r.retries}</td>
                      <td className="py-1.5 text-red-700">{r.error ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </article>
        );
      })}
    </section>
  );
}
