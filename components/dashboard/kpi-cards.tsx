import { getKpis, type Kpi } from "@/lib/queries/get-kpis";
import { formatCompact, formatExact, formatPct, formatUsd } from "@/lib/charts/format";
import type { Period } from "@/lib/time/period";
import { Change, Skeleton } from "@/components/dashboard/ui";

// KPI cards with the change against the previous period of equal length.

export async function KpiCards(props: { period: Period; unit?: string | null; tools?: string[]; models?: string[] }) {
  const k = await getKpis(props);
  const cards: { label: string; kpi: Kpi; show: (n: number | null) => string; exact: (n: number | null) => string; hint?: string }[] = [
    { label: "Invocations", kpi: k.invocations, show: formatCompact, exact: formatExact },
    { label: "Tokens", kpi: k.tokens, show: formatCompact, exact: formatExact },
    { label: "Active users", kpi: k.activeUsers, show: formatExact, exact: formatExact },
    { label: "Adoption", kpi: k.adoptionPct, show: formatPct, exact: formatPct, hint: `of ${formatExact(k.headcount)} engineers` },
    { label: "Cost", kpi: k.costUsd, show: (n) => formatUsd(n, true), exact: (n) => formatUsd(n) },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-5">
      {cards.map((c) => (
        <div key={c.label} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{c.label}</dt>
          <dd className="mt-1">
            <span className="text-2xl font-semibold text-slate-900" title={c.exact(c.kpi.value)} data-testid={`kpi-${c.label.toLowerCase().replace(" ", "-")}`}>
              {c.show(c.kpi.value)}
            </span>
            <span className="mt-1 block text-xs text-slate-500" data-testid={`kpi-${c.label.toLowerCase().replace(" ", "-")}-change`}>
              {c.label === "Adoption" ? <Points kpi={c.kpi} /> : <Change pct={c.kpi.changePct} note={c.kpi.note} />} vs {c.show(c.kpi.previous)} before
              {c.hint ? ` · ${c.hint}` : ""}
            </span>
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Adoption changes in percentage points: 40% → 50% is "+10.0 pts", not "+25%". */
function Points({ kpi }: { kpi: Kpi }) {
  const { value: now, previous: before } = kpi;
  if (now === null || before === null || kpi.changePct === null) return <Change pct={null} note={kpi.note} />;
  const d = Math.round((now - before) * 10) / 10;
  const cls = d > 0 ? "text-emerald-700" : d < 0 ? "text-rose-700" : "text-slate-500";
  return <span className={cls}>{`${d > 0 ? "+" : d < 0 ? "−" : "±"}${Math.abs(d).toFixed(1)} pts`}</span>;
}

export function KpiCardsSkeleton() {
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-5" aria-busy="true">
      <p className="sr-only">Loading figures…</p>
      {Array.from({ length: 5 }, (_, i) => (
        <Skeleton key={i} className="h-24" />
      ))}
    </div>
  );
}
