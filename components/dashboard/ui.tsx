import type { ReactNode } from "react";

// Small building blocks shared by the dashboard pages.

export function PageHeader({ title, subtitle, children }: { title: ReactNode; subtitle?: ReactNode; children?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">{title}</h1>
        {subtitle && <p className="mt-1 text-sm text-slate-600">{subtitle}</p>}
      </div>
      {children}
    </div>
  );
}

export function Panel({ title, description, children, className = "" }: { title: string; description?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`rounded-lg border border-slate-200 bg-white p-4 shadow-sm ${className}`} aria-label={title}>
      <h2 className="text-base font-semibold text-slate-900">{title}</h2>
      {description && <p className="mt-0.5 text-xs text-slate-500">{description}</p>}
      <div className="mt-3">{children}</div>
    </section>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-md border border-dashed border-slate-300 px-4 py-8 text-center">
      <p className="font-medium text-slate-700">{title}</p>
      {children && <div className="mt-1 text-sm text-slate-500">{children}</div>}
    </div>
  );
}

export function Skeleton({ className = "h-40" }: { className?: string }) {
  return <div className={`animate-pulse rounded-md bg-slate-200/70 ${className}`} aria-hidden />;
}

export function PanelSkeleton({ title, height = "h-64" }: { title: string; height?: string }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-busy="true" aria-label={title}>
      <h2 className="text-base font-semibold text-slate-900">{title}</h2>
      <p className="sr-only">Loading…</p>
      <Skeleton className={`mt-3 ${height}`} />
    </section>
  );
}

/** An empty figure with the reason on hover and for screen readers. */
function Missing({ note }: { note?: string }) {
  return (
    <span className="cursor-help text-slate-400" title={note || undefined}>
      <span aria-hidden>—</span>
      <span className="sr-only">{note || "no value"}</span>
    </span>
  );
}

/** ▲ 3 / ▼ 2 / new / — for rank change; the reason on hover when there is none. */
export function RankChange({ change, status, note }: { change: number | null; status: "moved" | "new" | "none"; note?: string }) {
  if (status === "new") return <span className="text-xs text-sky-700" title={note || "No usage in the previous period"}>new</span>;
  if (change === null) return <Missing note={note} />;
  if (change === 0) return <span className="text-slate-400" title="Same rank as the previous period">±0</span>;
  const up = change > 0;
  return (
    <span className={`whitespace-nowrap ${up ? "text-emerald-700" : "text-rose-700"}`} title={`${up ? "Up" : "Down"} ${Math.abs(change)} since the previous period`}>
      <span aria-hidden>{up ? "▲" : "▼"}</span>
      <span className="sr-only">{up ? "up" : "down"}</span> {Math.abs(change)}
    </span>
  );
}

export function Change({ pct, note }: { pct: number | null; note?: string }) {
  if (pct === null) return <Missing note={note} />;
  const cls = pct > 0 ? "text-emerald-700" : pct < 0 ? "text-rose-700" : "text-slate-500";
  return <span className={`whitespace-nowrap ${cls}`}>{`${pct > 0 ? "+" : pct < 0 ? "−" : "±"}${Math.abs(pct).toFixed(1)}%`}</span>;
}
