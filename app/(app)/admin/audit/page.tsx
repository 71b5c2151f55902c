import Link from "next/link";
import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { listAudit } from "@/lib/admin/audit";
import { inputClass } from "@/components/admin/styles";
import { TableHead } from "@/components/admin/table-head";

export const metadata: Metadata = { title: "Audit log · Admin" };

export default async function AuditAdminPage({ searchParams }: { searchParams: Promise<{ q?: string; before?: string }> }) {
  await requireViewer(["admin"]);
  const { q = "", before } = await searchParams;
  const { entries, next } = await listAudit({ q, before, limit: 50 });
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <form role="search" className="flex gap-2">
        <label className="sr-only" htmlFor="q">Filter the audit log</label>
        <input id="q" name="q" defaultValue={q} placeholder="actor, action (user.update, key.create …) or target id" className={`${inputClass} w-96`} />
        <button className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50">Filter</button>
      </form>
      <table className="w-full text-left text-sm">
        <TableHead columns={["When (UTC)", "Who", "Action", "Target", "Details"]} />
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} className="border-b border-slate-100 align-top">
              <td className="py-2 pr-3 whitespace-nowrap">{e.at.toISOString().slice(0, 19).replace("T", " ")}</td>
              <td className="py-2 pr-3">{e.actor}</td>
              <td className="py-2 pr-3 font-mono text-xs">{e.action}</td>
              <td className="py-2 pr-3">{e.targetType}{e.targetId ? ` #${e.targetId}` : ""}</td>
              <td className="py-2 font-mono text-xs text-slate-600 break-all">{e.details ? JSON.stringify(e.details) : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 0 && <p className="text-sm text-slate-500">Nothing logged{q ? " matches" : " yet"}.</p>}
      {next && (
        <Link href={`/admin/audit?${new URLSearchParams({ ...(q ? { q } : {}), before: next })}`} className="text-sm text-brand-700">
          Older entries →
        </Link>
      )}
    </section>
  );
}
