import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { listKeys } from "@/lib/admin/keys";
import { listTeamTree } from "@/lib/admin/teams";
import { ActionForm } from "@/components/admin/action-form";
import { KeyCreateForm } from "@/components/admin/key-create-form";
import { createKeyAction, revokeKeyAction } from "./actions";
import { TableHead } from "@/components/admin/table-head";

export const metadata: Metadata = { title: "API keys · Admin" };

const when = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace("T", " ") : "never");

export default async function KeysAdminPage() {
  await requireViewer(["admin"]);
  const [keys, teams] = await Promise.all([listKeys(), listTeamTree()]);
  return (
    <section className="space-y-6">
      <h1 className="text-2xl font-semibold">API keys</h1>
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-1 font-medium">Create a key</h2>
        <p className="mb-3 text-sm text-slate-600">
          <b>ingest</b> sends usage (API, OTLP, import); <b>read</b> and <b>export</b> read team-level figures. A key restricted to a team may only
          report for that team and its sub-teams. Keys never open the dashboard and never receive per-person figures.
        </p>
        <KeyCreateForm action={createKeyAction} teams={teams.filter((t) => !t.archived).map((t) => t.slug)} />
      </div>
      <table className="w-full text-left text-sm">
        <TableHead columns={["Name", "Prefix", "Scopes", "Team", "Created", "Last used", ""]} />
        <tbody>
          {keys.map((k) => (
            <tr key={k.id} data-key={k.name} className={`border-b border-slate-100 ${k.revokedAt ? "text-slate-400" : ""}`}>
              <td className="py-2 pr-3 font-medium">{k.name}</td>
              <td className="py-2 pr-3 font-mono text-xs">{k.prefix}…</td>
              <td className="py-2 pr-3">{k.scopes.join(", ")}</td>
              <td className="py-2 pr-3">{k.team ?? "any"}</td>
              <td className="py-2 pr-3">{when(k.createdAt)}{k.createdBy ? ` by ${k.createdBy}` : ""}</td>
              <td className="py-2 pr-3">{when(k.lastUsedAt)}</td>
              <td className="py-2">
                {k.revokedAt ? (
                  <span>revoked {when(k.revokedAt)}</span>
                ) : (
                  <ActionForm action={revokeKeyAction} submit="Revoke" confirm={`Revoke ${k.name}? Tools using it will get 401 at once.`}
                    buttonClass="rounded-md border border-red-300 bg-white px-3 py-1 text-sm font-medium text-red-700 hover:bg-red-50">
                    <input type="hidden" name="id" value={k.id} />
                  </ActionForm>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
