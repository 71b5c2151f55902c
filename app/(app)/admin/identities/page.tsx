import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { listUnmappedIdentities } from "@/lib/admin/people";
import { ActionForm } from "@/components/admin/action-form";
import { inputClass, labelClass } from "@/components/admin/styles";
import { mapIdentityAction } from "../people/actions";
import { TableHead } from "@/components/admin/table-head";

export const metadata: Metadata = { title: "Unmapped identities · Admin" };

export default async function IdentitiesAdminPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  await requireViewer(["admin"]);
  const { q = "" } = await searchParams;
  const identities = await listUnmappedIdentities(q);
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">Unmapped identities</h1>
      <p className="max-w-3xl text-sm text-slate-600">
        Ids that tools reported (an email, an account uuid, an installation id …) which no person claims yet. Their usage counts for the
        team the event named, else the key&apos;s team, else <code>unassigned</code>. Map one to a person so that new events count for that
        person&apos;s team; run <code>wakeboard rollups rebuild --reattribute</code> to move past events too.
      </p>
      <form role="search" className="flex gap-2">
        <label className="sr-only" htmlFor="q">Search identities</label>
        <input id="q" name="q" defaultValue={q} placeholder="identity value" className={`${inputClass} w-80`} />
        <button className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50">Search</button>
      </form>
      {identities.length === 0 ? (
        <p className="text-sm text-slate-500">No unmapped identities{q ? " match" : ""}.</p>
      ) : (
        <table className="w-full text-left text-sm">
          <TableHead columns={["Identity", "Kind", "Last seen", "Events", "Map to person"]} />
          <tbody>
            {identities.map((i) => (
              <tr key={i.id} data-identity={i.value} className="border-b border-slate-100 align-top">
                <td className="py-2 pr-3 font-mono text-xs">{i.value}</td>
                <td className="py-2 pr-3">{i.kind}</td>
                <td className="py-2 pr-3">{i.lastSeenAt.toISOString().slice(0, 16).replace("T", " ")}</td>
                <td className="py-2 pr-3 tabular-nums">{i.events}</td>
                <td className="py-2">
                  <ActionForm action={mapIdentityAction} submit="Map" success="Mapped.">
                    <input type="hidden" name="identityId" value={i.id} />
                    <label className={labelClass}>
                      <span className="sr-only">Person email for {i.value}</span>
                      <input name="person" type="email" required placeholder="person@company.com" className={inputClass} />
                    </label>
                  </ActionForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
