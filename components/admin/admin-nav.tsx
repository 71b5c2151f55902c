"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const ITEMS = [
  { href: "/admin/teams", label: "Teams" },
  { href: "/admin/people", label: "People" },
  { href: "/admin/identities", label: "Unmapped identities" },
  { href: "/admin/roster", label: "Roster import" },
  { href: "/admin/keys", label: "API keys" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/audit", label: "Audit log" },
];

export function AdminNav() {
  const path = usePathname();
  return (
    <nav aria-label="Administration" className="flex flex-wrap gap-1 border-b border-slate-200 pb-2">
      {ITEMS.map((item) => {
        const active = path.startsWith(item.href);
        return (
          <Link key={item.href} href={item.href} aria-current={active ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 text-sm font-medium ${active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"}`}>
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
