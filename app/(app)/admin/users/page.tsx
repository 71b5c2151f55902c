import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { listUsers, ROLES } from "@/lib/admin/users";
import { ActionForm } from "@/components/admin/action-form";
import { inputClass, labelClass } from "@/components/admin/styles";
import { createUserAction, updateUserAction } from "./actions";
import { TableHead } from "@/components/admin/table-head";

export const metadata: Metadata = { title: "Users · Admin" };

const roleSelect = (value?: string) => (
  <select name="role" defaultValue={value ?? "viewer"} className={inputClass}>
    {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
  </select>
);

export default async function UsersAdminPage() {
  const me = await requireViewer(["admin"]);
  const users = await listUsers();
  return (
    <section className="space-y-6">
      <h1 className="text-2xl font-semibold">Users</h1>
      <p className="max-w-3xl text-sm text-slate-600">
        <b>admin</b>: everything. <b>manager</b>: all team-level figures, plus per-person figures of the teams they manage and their sub-teams.{" "}
        <b>viewer</b>: team-level figures. Changes reach signed-in users within a minute. People signing in by single sign-on for the first time
        get the default role from <code>WAKEBOARD_OIDC_DEFAULT_ROLE</code>.
      </p>
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-3 font-medium">Add a user</h2>
        <ActionForm action={createUserAction} submit="Add user" success="User added." reset>
          <label className={labelClass}>Email<input name="email" type="email" required className={inputClass} /></label>
          <label className={labelClass}>Name<input name="name" className={inputClass} /></label>
          <label className={labelClass}>Role{roleSelect()}</label>
          <label className={labelClass}>Manages (team slugs)<input name="manages" placeholder="platform, checkout" className={inputClass} /></label>
          <label className={labelClass}>Password (blank for SSO only)<input name="password" type="password" autoComplete="new-password" minLength={8} className={inputClass} /></label>
        </ActionForm>
      </div>
      <table className="w-full text-left text-sm">
        <TableHead columns={["User", "Role", "Manages", "Last sign-in", "Edit"]} />
        <tbody>
          {users.map((u) => (
            <tr key={u.id} data-user={u.email} className={`border-b border-slate-100 align-top ${u.disabled ? "text-slate-400" : ""}`}>
              <td className="py-2 pr-3">
                <div className="font-medium">{u.name || u.email}</div>
                <div className="text-slate-500">{u.email}{u.id === me.id ? " (you)" : ""}</div>
              </td>
              <td className="py-2 pr-3">{u.role}{u.disabled && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs">disabled</span>}</td>
              <td className="py-2 pr-3">{u.manages.join(", ") || "—"}</td>
              <td className="py-2 pr-3">{u.lastLoginAt ? u.lastLoginAt.toISOString().slice(0, 16).replace("T", " ") : "never"}</td>
              <td className="py-2">
                <details>
                  <summary className="cursor-pointer text-brand-700">Edit {u.email}</summary>
                  <ActionForm action={updateUserAction} submit="Save" success="Saved." className="mt-2 flex flex-wrap items-end gap-2">
                    <input type="hidden" name="id" value={u.id} />
                    <label className={labelClass}>Role{roleSelect(u.role)}</label>
                    <label className={labelClass}>Manages<input name="manages" defaultValue={u.manages.join(", ")} className={inputClass} /></label>
                    <label className={labelClass}>New password<input name="password" type="password" autoComplete="new-password" minLength={8} className={inputClass} /></label>
                    <label className="flex items-center gap-1 text-sm"><input type="checkbox" name="disabled" defaultChecked={u.disabled} /> Disabled</label>
                  </ActionForm>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
