"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export interface NavItem {
  href: string;
  label: string;
}

/** A row of links marking the current section; used for the main and the admin navigation. */
export function Nav({ items, label = "Main", className = "" }: { items: NavItem[]; label?: string; className?: string }) {
  const path = usePathname();
  return (
    <nav aria-label={label} className={`flex flex-wrap gap-1 ${className}`}>
      {items.map((item) => {
        const active = item.href === "/" ? path === "/" : path.startsWith(item.href);
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
