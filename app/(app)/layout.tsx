import { Suspense } from "react";
import Link from "next/link";
import { requireViewer } from "@/lib/auth/viewer";
import { Logo } from "@/components/shell/logo";
import { Nav, type NavItem } from "@/components/shell/nav";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { DataFreshness } from "@/components/shell/data-freshness";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const viewer = await requireViewer();
  const items: NavItem[] = [
    { href: "/", label: "Overview" },
    { href: "/leaderboard", label: "Leaderboard" },
    { href: "/trends", label: "Trends" },
    { href: "/goals", label: "Goals" },
    { href: "/alerts", label: "Alerts" },
    { href: "/export", label: "Export" },
    { href: "/docs", label: "Connect a tool" },
    ...(viewer.role === "admin" ? [{ href: "/admin", label: "Admin" }] : []),
  ];
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2">Skip to content</a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-4 px-4 py-3">
          <Link href="/" className="flex items-center gap-2 font-semibold text-slate-900">
            <Logo />
            <span>Wakeboard</span>
          </Link>
          <Nav items={items} />
          <div className="ml-auto flex items-center gap-3 text-sm text-slate-500">
            <span title={viewer.email}>
              {viewer.name || viewer.email} <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{viewer.role}</span>
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        <Suspense fallback={null}>
          <DataFreshness />
        </Suspense>
        {children}
      </main>
    </div>
  );
}
