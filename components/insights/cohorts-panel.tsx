import { getAdoptionCohorts, BUCKETS } from "@/lib/queries/get-adoption-cohorts";
import type { Period } from "@/lib/time/period";
import { BUCKET_COLORS, cohortRows } from "@/lib/insights/cohort-chart";
import { TimeChart } from "@/components/dashboard/charts";
import { ChartDataTable } from "@/components/dashboard/data-table";
import { Panel } from "@/components/dashboard/ui";
import { TableHead } from "@/components/admin/table-head";

// A team's adoption cohorts (people per bucket of active days a week, per ISO week, and the
// movement between buckets) and its adoption funnel per tool. Counts only, never names.

export async function CohortsPanel({ team, period }: { team: string; period: Period }) {
  const c = await getAdoptionCohorts({ team, period });
  const { buckets, movement } = cohortRows(c);
  const t = c.thresholds;
  const series = BUCKETS.map((b) => ({ key: b, label: b, color: BUCKET_COLORS[b] }));
  return (
    <div className="mt-6 grid gap-4 lg:grid-cols-2" id="cohorts">
      <Panel
        title="Adoption cohorts"
        description={`${c.people} people by active days a week — none: 0 · light: under ${t.moderate} · moderate: ${t.moderate}–${t.heavy - 1} · heavy: ${t.heavy}+ (WAKEBOARD_COHORT_THRESHOLDS). This period: ${BUCKETS.map((b) => `${b} ${c.period_counts[b]}`).join(", ")}.`}
      >
        <TimeChart rows={buckets} series={series} unit="count" label="People per adoption bucket per week" height={200} />
        <TimeChart rows={movement} series={[{ key: "up", label: "moved up", color: "#059669" }, { key: "down", label: "moved down", color: "#e11d48" }]} unit="count" stacked={false} label="Weekly movement between buckets" height={140} />
        <ChartDataTable rows={buckets.map((r, i) => ({ ...r, up: movement[i].up, down: movement[i].down }))} series={[...series, { key: "up", label: "moved up", color: "" }, { key: "down", label: "moved down (negative)", color: "" }]} unit="count" caption="Adoption cohorts per week" />
      </Panel>
      <Panel title="Adoption funnel per tool" description="Current members → ever reported with the tool → active with it in the last 28 days → active in each of the last 4 complete weeks.">
        {c.funnel.length === 0 ? (
          <p className="text-sm text-slate-500">No tool has reported for this team's members.</p>
        ) : (
          <table className="w-full text-left text-sm tabular-nums" data-testid="funnel">
            <TableHead columns={["Tool", "Roster", "Ever reported", "Active 28 days", "Active weekly"]} />
            <tbody>
              {c.funnel.map((f) => (
                <tr key={f.tool} className="border-b border-slate-100">
                  <td className="py-1.5 pr-3">{f.name}</td>
                  <td className="py-1.5 pr-3">{f.roster}</td>
                  <td className="py-1.5 pr-3">{f.everReported}</td>
                  <td className="py-1.5 pr-3">{f.active28d}</td>
                  <td className="py-1.5">{f.activeWeekly}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </div>
  );
}
