import { getTeamTrend } from "@/lib/queries/get-team-trend";
import { averageKey, toChartRows, type SeriesInput } from "@/lib/charts/prepare";
import type { Grain } from "@/lib/time/buckets";
import type { Period } from "@/lib/time/period";
import { TimeChart } from "@/components/dashboard/charts";
import { ChartDataTable } from "@/components/dashboard/data-table";
import { EmptyState, Panel } from "@/components/dashboard/ui";

// Fixed colours for a team's own figures (not tools, models or teams): tokens, invocations,
// adoption and headcount, taken from the colour-blind-safe palette's far-apart entries.
const TOKENS = "#0072B2";
const INVOCATIONS = "#882255";
const ADOPTION = "#009E73";
const HEADCOUNT = "#6B7280";

/** A team's usage and adoption over time. */
export async function TeamTrendPanels(props: { team: string; period: Period; grain: Grain; tools?: string[]; models?: string[] }) {
  const t = await getTeamTrend(props);
  const labels = t.points.map((p) => p.label);
  const partial = t.points.map((p) => p.partial);
  const daily = t.grain === "day";
  const empty = t.points.every((p) => p.tokens === 0 && p.invocations === 0);
  const usage: SeriesInput[] = [
    { key: "tokens", label: "Tokens", values: t.points.map((p) => p.tokens) },
    ...(daily ? [{ key: averageKey("tokens"), label: "Tokens, 7-day average", values: t.points.map((p) => p.tokensAvg) }] : []),
  ];
  const invocations: SeriesInput[] = [
    { key: "invocations", label: "Invocations", values: t.points.map((p) => p.invocations) },
    ...(daily ? [{ key: averageKey("invocations"), label: "Invocations, 7-day average", values: t.points.map((p) => p.invocationsAvg) }] : []),
  ];
  const window = t.windowDays === 1 ? "that day" : `the ${t.windowDays} days up to then`;
  const people: SeriesInput[] = [
    { key: "windowActiveUsers", label: "Active users", values: t.points.map((p) => p.windowActiveUsers) },
    { key: "headcount", label: "Headcount", values: t.points.map((p) => p.headcount) },
  ];
  const adoption: SeriesInput[] = [{ key: "windowAdoptionPct", label: "Adoption %", values: t.points.map((p) => p.windowAdoptionPct) }];
  const rows = (s: SeriesInput[]) => toChartRows(labels, s);
  if (empty) {
    return (
      <div className="grid gap-4 lg:grid-cols-2">
        <Panel title="Tokens and invocations">
          <EmptyState title="No usage in this period">Nothing was reported for these filters.</EmptyState>
        </Panel>
        <Panel title="Adoption over time">
          <EmptyState title="No usage in this period">Nothing was reported for these filters.</EmptyState>
        </Panel>
      </div>
    );
  }
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Panel title="Tokens and invocations" description={daily ? "Per day, with the 7-day average" : "Per ISO week"}>
        <TimeChart rows={rows(usage)} series={[{ key: "tokens", label: "Tokens", color: TOKENS, average: daily }]} unit="tokens" label="Tokens over time" height={220} partial={partial} />
        <TimeChart rows={rows(invocations)} series={[{ key: "invocations", label: "Invocations", color: INVOCATIONS, average: daily }]} unit="count" kind="line" label="Invocations over time" height={160} partial={partial} />
        <ChartDataTable
          rows={toChartRows(labels, [...usage, ...invocations])}
          series={[...usage, ...invocations].map((s) => ({ key: s.key, label: s.label, color: "" }))}
          unit="count"
          caption="Tokens and invocations"
        />
      </Panel>
      <Panel title="Adoption over time" description={`At each point: people active in ${window} ÷ headcount — the adoption card’s definition, so the last point is the card’s figure`}>
        <TimeChart rows={rows(adoption)} series={[{ key: "windowAdoptionPct", label: "Adoption %", color: ADOPTION }]} unit="percent" kind="area" label="Adoption over time" height={220} />
        <TimeChart rows={rows(people)} series={[{ key: "windowActiveUsers", label: "Active users", color: ADOPTION }, { key: "headcount", label: "Headcount", color: HEADCOUNT }]} unit="count" kind="line" stacked={false} label="Active users and headcount" height={160} />
        <ChartDataTable rows={toChartRows(labels, [...adoption, ...people])} series={[{ key: "windowAdoptionPct", label: "Adoption %", color: "" }, { key: "windowActiveUsers", label: "Active", color: "" }, { key: "headcount", label: "Headcount", color: "" }]} unit="count" caption="Adoption over time" />
      </Panel>
    </div>
  );
}
