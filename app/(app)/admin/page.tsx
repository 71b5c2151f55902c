import Link from "next/link";
import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { getAdminOverview } from "@/lib/admin/overview";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  await requireViewer(["admin"]);
  const { teams, groups, unreviewed, people, unmapped, keys, users } = await getAdminOverview();
  const cards = [
    { href: "/admin/teams", title: "Teams", value: teams, note: `in ${groups} groups · ${unreviewed ? `${unreviewed} unreviewed (first seen in events)` : "all reviewed"}` },
    { href: "/admin/people", title: "People", value: people, note: "search, move between teams" },
    { href: "/admin/identities", title: "Unmapped identities", value: unmapped, note: "ids seen in telemetry that no person claims" },
    { href: "/admin/roster", title: "Roster import", value: null, note: "CSV: email,name,team[,identities]" },
    { href: "/admin/keys", title: "Active API keys", value: keys, note: "for tools and scripts" },
    { href: "/admin/users", title: "Users", value: users, note: "dashboard logins and roles" },
    { href: "/admin/github", title: "GitHub deliveries", value: null, note: "webhook log: what each push and pull request did" },
  ];
  return (
    <section>
      <h1 className="text-2xl font-semibold">Admin</h1>
      <ul className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {cards.map((c) => (
          <li key={c.href}>
            <Link href={c.href} className="block rounded-lg border border-slate-200 bg-white p-4 hover:border-brand-500">
              <div className="text-sm font-medium text-slate-600">{c.title}</div>
              {c.value !== null && <div className="mt-1 text-2xl font-semibold tabular-nums">{c.value}</div>}
              <div className="mt-1 text-xs text-slate-500">{c.note}</div>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
