import { getTeamTrend } from "@/lib/queries/get-team-trend";
import { toChartRows, type SeriesInput } from "@/lib/charts/prepare";
import type { Grain } from "@/lib/time/buckets";
import type { Period } from "@/lib/time/period";
import { TimeChart } from "@/components/dashboard/charts";
import { ChartDataTable } from "@/components/dashboard/data-table";
import { Panel } from "@/components/dashboard/ui";

/** A team's usage and adoption over time. */
export async function TeamTrendPanels(props: { team: string; period: Period; grain: Grain; tools?: string[]; models?: string[] }) {
  const t = await getTeamTrend(props);
  const labels = t.points.map((p) => p.label);
  const usage: SeriesInput[] = [
    { key: "tokens", label: "Tokens", values: t.points.map((p) => p.tokens) },
  ];
  const people = [
    { key: "activeUsers", label: "Active users", values: t.points.map((p) => p.activeUsers) },
    { key: "headcount", label: "Headcount", values: t.points.map((p) => p.headcount) },
  ];
  const adoption = [{ key: "adoptionPct", label: "Adoption %", values: t.points.map((p) => p.adoptionPct) }];
  const invocations = [{ key: "invocations", label: "Invocations", values: t.points.map((p) => p.invocations) }];
  const rows = (s: SeriesInput[]) => toChartRows(labels, s);
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Panel title="Tokens and invocations" description={t.grain === "week" ? "Per ISO week" : "Per day"}>
        <TimeChart rows={rows(usage)} series={[{ key: "tokens", label: "Tokens", color: "#0369a8" }]} unit="tokens" label="Tokens over time" height={220} />
        <TimeChart rows={rows(invocations)} series={[{ key: "invocations", label: "Invocations", color: "#7c3aed" }]} unit="count" kind="line" label="Invocations over time" height={160} />
        <ChartDataTable rows={toChartRows(labels, [...usage, ...invocations])} series={[{ key: "tokens", label: "Tokens", color: "" }, { key: "invocations", label: "Invocations", color: "" }]} unit="count" caption="Tokens and invocations" />
      </Panel>
      <Panel title="Adoption over time" description="Active users against the headcount at the end of each day or week">
        <TimeChart rows={rows(adoption)} series={[{ key: "adoptionPct", label: "Adoption %", color: "#16a34a" }]} unit="percent" kind="area" label="Adoption over time" height={220} />
        <TimeChart rows={rows(people)} series={[{ key: "activeUsers", label: "Active users", color: "#16a34a" }, { key: "headcount", label: "Headcount", color: "#94a3b8" }]} unit="count" kind="line" stacked={false} label="Active users and headcount" height={160} />
        <ChartDataTable rows={toChartRows(labels, [...adoption, ...people])} series={[{ key: "adoptionPct", label: "Adoption %", color: "" }, { key: "activeUsers", label: "Active", color: "" }, { key: "headcount", label: "Headcount", color: "" }]} unit="count" caption="Adoption over time" />
      </Panel>
    </div>
  );
}
