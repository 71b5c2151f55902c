import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { config } from "@/lib/config";
import { dayOf } from "@/lib/time/calendar";
import { countPeople, searchPeople } from "@/lib/admin/people";
import { Pager, pageOf } from "@/components/dashboard/pager";
import { listTeamTree } from "@/lib/admin/teams";
import { ActionForm } from "@/components/admin/action-form";
import { inputClass, labelClass } from "@/components/admin/styles";
import { erasePersonAction, movePersonAction } from "./actions";
import { TableHead } from "@/components/admin/table-head";

export const metadata: Metadata = { title: "People · Admin" };

const day = (d: Date) => d.toISOString().slice(0, 10);

const PAGE = 50;

export default async function PeopleAdminPage({ searchParams }: { searchParams: Promise<{ q?: string; page?: string }> }) {
  await requireViewer(["admin"]);
  const sp = await searchParams;
  const q = sp.q ?? "";
  const total = await countPeople(q);
  const { page, pages, offset } = pageOf(sp.page, total, PAGE);
  const [people, teams] = await Promise.all([searchPeople(q, { limit: PAGE, offset }), listTeamTree()]);
  const today = dayOf(new Date(), config().WAKEBOARD_TZ);
  const active = teams.filter((t) => !t.archived);
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">People</h1>
      <form role="search" className="flex gap-2">
        <label className="sr-only" htmlFor="q">Search people</label>
        <input id="q" name="q" defaultValue={q} placeholder="email, name, identity or team slug" className={`${inputClass} w-80`} />
        <button className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50">Search</button>
      </form>
      <p className="text-sm text-slate-500">{`${total} ${q ? `match${total === 1 ? "" : "es"}` : total === 1 ? "person" : "people"}.`}</p>
      <table className="w-full text-left text-sm">
        <TableHead columns={["Person", "Team", "Identities", "History", "Move"]} />
        <tbody>
          {people.map((p) => (
            <tr key={p.id} data-person={p.email} className="border-b border-slate-100 align-top">
              <td className="py-2 pr-3">
                <div className="font-medium">{p.name}</div>
                <div className="text-slate-500">{p.email}</div>
              </td>
              <td className="py-2 pr-3">{p.team?.slug ?? "—"}</td>
              <td className="py-2 pr-3 text-xs text-slate-600">{p.identities.map((i) => `${i.kind}: ${i.value}`).join(", ") || "—"}</td>
              <td className="py-2 pr-3 text-xs text-slate-600">
                <ul>
                  {p.memberships.map((m, i) => (
                    <li key={i}>{m.teamSlug}: {day(m.from)} → {m.to ? day(m.to) : "now"}</li>
                  ))}
                </ul>
              </td>
              <td className="py-2">
                <details>
                  <summary className="cursor-pointer text-brand-700">Move {p.email}</summary>
                  <ActionForm action={movePersonAction} submit="Move" success="Moved." className="mt-2 flex flex-wrap items-end gap-2">
                    <input type="hidden" name="personId" value={p.id} />
                    <label className={labelClass}>
                      To team
                      <select name="team" defaultValue={p.team?.slug ?? ""} className={inputClass}>
                        {active.map((t) => <option key={t.id} value={t.slug}>{t.slug}</option>)}
                      </select>
                    </label>
                    <label className={labelClass}>Effective<input type="date" name="effective" defaultValue={today} max={today} required className={inputClass} /></label>
                  </ActionForm>
                </details>
                <details className="mt-2">
                  <summary className="cursor-pointer text-red-700">Erase {p.email}</summary>
                  <p className="mt-2 max-w-sm text-xs text-slate-600">
                    Removes this person, their identities and login; their events stay in team totals without any link to them. Cannot be undone.
                  </p>
                  <ActionForm action={erasePersonAction} submit="Erase" success="Erased." className="mt-2 flex flex-wrap items-end gap-2"
                    buttonClass="rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-60">
                    <input type="hidden" name="email" value={p.email} />
                    <label className={labelClass}>Type the email to confirm<input name="confirm" autoComplete="off" required className={inputClass} /></label>
                  </ActionForm>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager path="/admin/people" params={{ q: q || undefined }} param="page" page={page} pages={pages} size={PAGE} total={total} label="People" />
    </section>
  );
}
