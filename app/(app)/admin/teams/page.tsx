import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { listTeamTree } from "@/lib/admin/teams";
import { ActionForm } from "@/components/admin/action-form";
import { inputClass, labelClass } from "@/components/admin/styles";
import { archiveTeamAction, createTeamAction, updateTeamAction } from "./actions";
import { TableHead } from "@/components/admin/table-head";

export const metadata: Metadata = { title: "Teams · Admin" };

export default async function TeamsAdminPage() {
  await requireViewer(["admin"]);
  const teams = await listTeamTree();
  const parents = teams.filter((t) => !t.archived);
  const parentOptions = (selfId?: number) => (
    <>
      <option value="">(top level)</option>
      {parents.filter((p) => p.id !== selfId).map((p) => (
        <option key={p.id} value={p.id}>
          {"\u00a0\u00a0".repeat(p.depth)}{p.slug}
        </option>
      ))}
    </>
  );
  return (
    <section className="space-y-6">
      <h1 className="text-2xl font-semibold">Teams</h1>

      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-3 font-medium">Create a team</h2>
        <ActionForm action={createTeamAction} submit="Create team" success="Team created." reset>
          <label className={labelClass}>Slug<input name="slug" required pattern="[a-z0-9][a-z0-9._\-]{0,63}" className={inputClass} /></label>
          <label className={labelClass}>Name<input name="name" className={inputClass} /></label>
          <label className={labelClass}>Parent<select name="parentId" defaultValue="" className={inputClass}>{parentOptions()}</select></label>
          <label className={labelClass}>Headcount override<input name="headcount" type="number" min={0} className={`${inputClass} w-28`} /></label>
        </ActionForm>
      </div>

      <table className="w-full text-left text-sm">
        <TableHead columns={["Team", "Members", "Headcount override", "Edit"]} />
        <tbody>
          {teams.map((t) => (
            <tr key={t.id} data-team={t.slug} className={`border-b border-slate-100 align-top ${t.archived ? "text-slate-400" : ""}`}>
              <td className="py-2 pr-3" style={{ paddingLeft: `${t.depth * 1.25}rem` }}>
                <span className="font-medium">{t.name}</span> <span className="text-slate-500">{t.slug}</span>
                {t.unreviewed && <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800">unreviewed</span>}
                {t.archived && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs">archived</span>}
              </td>
              <td className="py-2 pr-3 tabular-nums">{t.members}</td>
              <td className="py-2 pr-3 tabular-nums">{t.headcountOverride ?? "—"}</td>
              <td className="py-2">
                <details>
                  <summary className="cursor-pointer text-brand-700">Edit {t.slug}</summary>
                  <div className="mt-2 space-y-2">
                    <ActionForm action={updateTeamAction} submit="Save" success="Saved.">
                      <input type="hidden" name="id" value={t.id} />
                      <label className={labelClass}>Name<input name="name" defaultValue={t.name} required className={inputClass} /></label>
                      <label className={labelClass}>Parent<select name="parentId" defaultValue={t.parentId ?? ""} className={inputClass}>{parentOptions(t.id)}</select></label>
                      <label className={labelClass}>Headcount override<input name="headcount" type="number" min={0} defaultValue={t.headcountOverride ?? ""} className={`${inputClass} w-28`} /></label>
                    </ActionForm>
                    <ActionForm
                      action={archiveTeamAction}
                      submit={t.archived ? "Unarchive" : "Archive"}
                      confirm={t.archived ? undefined : `Archive ${t.slug}? Its history stays; it disappears from pickers.`}
                      buttonClass="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50"
                    >
                      <input type="hidden" name="id" value={t.id} />
                      <input type="hidden" name="archived" value={t.archived ? "0" : "1"} />
                    </ActionForm>
                  </div>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
