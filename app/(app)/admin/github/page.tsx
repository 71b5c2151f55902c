import Link from "next/link";
import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { listDeliveries } from "@/lib/github/deliveries";
import { TableHead } from "@/components/admin/table-head";

export const metadata: Metadata = { title: "GitHub deliveries · Admin" };

const STATUSES = ["pending", "processed", "ignored", "failed"] as const;
const TONE: Record<string, string> = {
  pending: "bg-amber-50 text-amber-800",
  processed: "bg-emerald-50 text-emerald-800",
  ignored: "bg-slate-100 text-slate-700",
  failed: "bg-red-50 text-red-800",
};

const when = (d: Date | null) => (d ? d.toISOString().slice(0, 19).replace("T", " ") : "");

export default async function GithubAdminPage({ searchParams }: { searchParams: Promise<{ status?: string; before?: string }> }) {
  await requireViewer(["admin"]);
  const { status, before } = await searchParams;
  const log = await listDeliveries({ status, before, limit: 50 });
  const total = Object.values(log.byStatus).reduce((a, b) => a + b, 0);
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">GitHub deliveries</h1>
      <p className="text-sm text-slate-600">
        Webhook deliveries to <code className="font-mono">/api/v1/github/webhook</code>, newest first. Each is recorded when it arrives and
        processed in the background; pushes to a repository&apos;s default branch and pull requests opened or merged count. Setup,
        permissions and the AI-signal rules: docs/github.md.
      </p>
      {!log.configured && (
        <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          Webhooks are off: set WAKEBOARD_GITHUB_WEBHOOK_SECRET to the secret of the GitHub webhook, then restart.
        </p>
      )}
      <nav aria-label="Filter by status" className="flex flex-wrap gap-2 text-sm">
        <Link href="/admin/github" aria-current={!status ? "page" : undefined} className="rounded-md border border-slate-300 px-2 py-1 aria-[current=page]:bg-slate-900 aria-[current=page]:text-white">
          All ({total})
        </Link>
        {STATUSES.map((s) => (
          <Link key={s} href={`/admin/github?status=${s}`} aria-current={status === s ? "page" : undefined} className="rounded-md border border-slate-300 px-2 py-1 aria-[current=page]:bg-slate-900 aria-[current=page]:text-white">
            {s} ({log.byStatus[s] ?? 0})
          </Link>
        ))}
      </nav>
      <table className="w-full text-left text-sm">
        <TableHead columns={["Received (UTC)", "Event", "Repository", "Status", "What happened", "Delivery id"]} />
        <tbody>
          {log.rows.map((d) => (
            <tr key={d.id} className="border-b border-slate-100 align-top">
              <td className="py-2 pr-3 whitespace-nowrap">{when(d.receivedAt)}</td>
              <td className="py-2 pr-3 font-mono text-xs">{d.event}{d.action ? `.${d.action}` : ""}</td>
              <td className="py-2 pr-3">{d.repo ?? ""}</td>
              <td className="py-2 pr-3">
                <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${TONE[d.status] ?? ""}`}>{d.status}</span>
                {d.attempts > 1 && <span className="ml-1 text-xs text-slate-500">{d.attempts} attempts</span>}
              </td>
              <td className="py-2 pr-3">
                {d.summary}
                {d.error && <div className="font-mono text-xs text-red-700 break-all">{d.error}</div>}
              </td>
              <td className="py-2 font-mono text-xs text-slate-500 break-all">{d.id}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {log.rows.length === 0 && <p className="text-sm text-slate-500">No deliveries{status ? ` with status ${status}` : " yet"}.</p>}
      {log.next && (
        <Link href={`/admin/github?${new URLSearchParams({ ...(status ? { status } : {}), before: log.next })}`} className="text-sm text-brand-700">
          Older deliveries →
        </Link>
      )}
    </section>
  );
}
