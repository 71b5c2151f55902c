import Link from "next/link";
import { requireViewer } from "@/lib/auth/viewer";
import { config } from "@/lib/config";
import { formatPeriodParam, periodLabel, periodOrDefault } from "@/lib/time/period";
import { shortDate } from "@/lib/time/calendar";
import { toChartRows } from "@/lib/charts/prepare";
import { formatCompact, formatExact, formatUsd } from "@/lib/charts/format";
import type { SearchParams } from "@/lib/queries/params";
import { myUsage } from "@/lib/insights/my-usage";
import { TimeChart } from "@/components/dashboard/charts";
import { ChartDataTable } from "@/components/dashboard/data-table";
import { EmptyState, PageHeader, Panel } from "@/components/dashboard/ui";
import { TableHead } from "@/components/admin/table-head";

export const metadata = { title: "My usage" };

const PERIODS = ["7d", "30d", "90d"];

export default async function MyUsagePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await requireViewer();
  const sp = await searchParams;
  const raw = typeof sp.period === "string" && PERIODS.includes(sp.period) ? sp.period : "30d";
  const period = periodOrDefault(raw, { tz: config().WAKEBOARD_TZ });
  const mine = await myUsage(viewer, period);
  const picker = (
    <nav aria-label="Period" className="flex gap-1 text-sm">
      {PERIODS.map((p) => (
        <Link key={p} href={`/me?period=${p}`} aria-current={p === formatPeriodParam(period) ? "page" : undefined} className={`rounded-md px-3 py-1 ${p === formatPeriodParam(period) ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100"}`}>
          Last {p.replace("d", " days")}
        </Link>
      ))}
    </nav>
  );
  if (!mine) {
    return (
      <>
        <PageHeader title="My usage" subtitle={periodLabel(period)} />
        <EmptyState title={`No person is linked to ${viewer.email}`}>
          Your figures appear here once an admin adds you to the roster with this email (or maps an identity with it to you).
        </EmptyState>
      </>
    );
  }
  const { person, usage } = mine;
  const t = usage.totals;
  const labels = usage.daily.map((d) => shortDate(d.day));
  const series = [{ key: "tokens", label: "Tokens", values: usage.daily.map((d) => d.tokens) }];
  return (
    <>
      <PageHeader title="My usage" subtitle={`${person.name} · ${person.email}${person.team ? ` · ${person.team}` : ""} · ${periodLabel(period)} · only you (and admins) see these figures`}>
        {picker}
      </PageHeader>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-5" data-testid="my-kpis">
        {[
          ["Tokens", formatCompact(t.tokens), `${formatExact(t.tokens)} tokens`],
          ["Cost", formatUsd(t.costUsd), formatUsd(t.costUsd)],
          ["Invocations", formatCompact(t.invocations), formatExact(t.invocations)],
          ["Active days", `${usage.activeDays} of ${usage.days}`, "Days with any invocations or tokens"],
          ...(usage.rank ? [["Rank in team", usage.rank.rank === null ? "—" : `${usage.rank.rank} of ${usage.rank.of}`, `By tokens in ${usage.rank.team}, this period`]] : []),
        ].map(([label, value, title]) => (
          <div key={label} className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm" title={title}>
            <p className="text-xs uppercase tracking-wide text-slate-500">{label}</p>
            <p className="mt-1 text-xl font-semibold tabular-nums text-slate-900">{value}</p>
          </div>
        ))}
      </div>
      <div className="mt-6">
        <Panel title="Trend" description="Tokens per day">
          <TimeChart rows={toChartRows(labels, series)} series={[{ key: "tokens", label: "Tokens", color: "#0369a8" }]} unit="tokens" label="My tokens per day" height={200} />
          <ChartDataTable rows={toChartRows(labels, series)} series={[{ key: "tokens", label: "Tokens", color: "" }]} unit="tokens" caption="My tokens per day" />
        </Panel>
      </div>
      <div className="mt-6 grid gap-4 lg:grid-cols-2">
        <Panel title="Tools">
          {usage.byTool.length === 0 ? (
            <p className="text-sm text-slate-500">No usage in this period.</p>
          ) : (
            <table className="w-full text-left text-sm tabular-nums" data-testid="my-tools">
              <TableHead columns={["Tool", "Tokens", "Invocations", "Cost"]} />
              <tbody>
                {usage.byTool.map((r) => (
                  <tr key={r.tool} className="border-b border-slate-100">
                    <td className="py-1.5 pr-3">{r.name}</td>
                    <td className="py-1.5 pr-3" title={formatExact(r.sums.tokens)}>{formatCompact(r.sums.tokens)}</td>
                    <td className="py-1.5 pr-3">{formatExact(r.sums.invocations)}</td>
                    <td className="py-1.5">{formatUsd(r.sums.costUsd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
        <Panel title="Models">
          {usage.byModel.length === 0 ? (
            <p className="text-sm text-slate-500">No usage in this period.</p>
          ) : (
            <table className="w-full text-left text-sm tabular-nums" data-testid="my-models">
              <TableHead columns={["Model", "Tokens", "Cost"]} />
              <tbody>
                {usage.byModel.map((r) => (
                  <tr key={r.model} className="border-b border-slate-100">
                    <td className="py-1.5 pr-3">{r.model}</td>
                    <td className="py-1.5 pr-3" title={formatExact(r.sums.tokens)}>{formatCompact(r.sums.tokens)}</td>
                    <td className="py-1.5">{formatUsd(r.sums.costUsd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
      </div>
    </>
  );
}
