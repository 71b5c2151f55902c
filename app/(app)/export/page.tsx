import { Suspense } from "react";
import { requireViewer, type Viewer } from "@/lib/auth/viewer";
import { config } from "@/lib/config";
import { dayOf, isoWeekOf, shortDate } from "@/lib/time/calendar";
import { inFuture, lastCompleteWeek, periodLabel, resolvePeriod } from "@/lib/time/period";
import { getFirstDays } from "@/lib/queries/first-days";
import { exportColumns, exportFileName, GRAIN_LABELS, type ExportGrain } from "@/lib/export/columns";
import { mayExportPeople } from "@/lib/export/access";
import { parseExportParams } from "@/lib/export/params";
import { previewWeeklyExport } from "@/lib/export/preview";
import { ExportForm } from "@/components/export/export-form";
import { ExportPreviewTable } from "@/components/export/export-preview";
import { ExportHelp } from "@/components/export/export-help";
import { EmptyState, PageHeader, Panel, PanelSkeleton } from "@/components/dashboard/ui";

export const metadata = { title: "Export" };

type SearchParams = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function ExportPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await requireViewer();
  const tz = config().WAKEBOARD_TZ;
  const sp = await searchParams;
  const raw = { week: first(sp.week) || undefined, grain: first(sp.grain) || undefined, bom: first(sp.bom) };
  const strict = parseExportParams(raw, { tz });
  const problems = strict.ok ? [] : strict.errors;
  // Whatever is invalid falls back to its default; the rest of the choice is kept.
  const kept = Object.fromEntries(Object.entries(raw).filter(([k]) => !problems.some((p) => p.path === k)));
  const parsed = parseExportParams(kept, { tz });
  if (!parsed.ok) throw new Error("export defaults are invalid");
  let { grain } = parsed.value;
  const { week, bom } = parsed.value;
  const canPeople = mayExportPeople({ kind: "viewer", viewer });
  const messages = problems.map((p) => `${p.path === "week" ? `Week “${raw.week}”` : p.path === "grain" ? `Rows “${raw.grain}”` : p.path}: ${p.message}. Showing the default instead.`);
  if (grain === "person" && !canPeople) {
    messages.push("Per-person rows are for admins and for managers of a team; showing one row per team.");
    grain = "team";
  }
  const defaultWeek = lastCompleteWeek({ tz });
  const thisWeek = isoWeekOf(dayOf(new Date(), tz));

  return (
    <>
      <PageHeader
        title="Weekly export"
        subtitle={`The leaderboard's figures for one ISO week (Monday to Sunday, ${tz}) as a CSV file for spreadsheets. The last complete week is ${defaultWeek}.`}
      >
        <ExportForm week={week} grain={grain} bom={bom} maxWeek={thisWeek} canExportPeople={canPeople} />
      </PageHeader>
      {messages.map((m) => (
        <p key={m} role="alert" className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {m}
        </p>
      ))}
      <Suspense key={`${week}/${grain}`} fallback={<PanelSkeleton title="Preview" height="h-48" />}>
        <Preview week={week} grain={grain} viewer={viewer} current={week === thisWeek} />
      </Suspense>
      <ExportHelp canExportPeople={canPeople} isManager={viewer.role === "manager"} isAdmin={viewer.role === "admin"} week={week} grain={grain} />
    </>
  );
}

async function Preview({ week, grain, viewer, current }: { week: string; grain: ExportGrain; viewer: Viewer; current: boolean }) {
  const [preview, firstDays] = await Promise.all([previewWeeklyExport({ week, grain, requester: { kind: "viewer", viewer } }), getFirstDays()]);
  const period = resolvePeriod(week, { tz: config().WAKEBOARD_TZ });
  const label = periodLabel(period);
  const first = [...firstDays.values()].sort()[0];
  // A week without any possible data says why, rather than previewing a file of zeros.
  const none = inFuture(period)
    ? `${week} has not started yet: there is no data for it.`
    : !first
      ? "No usage has been reported yet."
      : period.to < first
        ? `${week} is before the first reported usage (${shortDate(first, true)}): every figure in it is empty or zero.`
        : null;
  return (
    <Panel
      title="Preview"
      description={`${exportFileName(week, grain)} · ${GRAIN_LABELS[grain].toLowerCase()} · ${label}${current ? " · this week is not over yet: figures are partial" : ""}`}
    >
      {none ? (
        <EmptyState title="Nothing to export for this week">
          {none} The file would still have its header row{grain === "person" ? "" : " and one row per team"}.
        </EmptyState>
      ) : preview.rows.length === 0 ? (
        <EmptyState title="No rows for this week">
          {grain === "person" ? "Nobody you may see per person reported usage in this week." : "No usage was reported in this week."} The file still has its header row.
        </EmptyState>
      ) : (
        <>
          <ExportPreviewTable columns={exportColumns(grain)} rows={preview.rows} caption={`First rows of ${exportFileName(week, grain)}`} />
          <p className="mt-2 text-xs text-slate-500">
            {preview.more ? `The first ${preview.rows.length} rows; the file has more.` : `All ${preview.rows.length} rows.`} Empty cells are values that are undefined (adoption without
            headcount, rank change without usage the week before).
          </p>
        </>
      )}
    </Panel>
  );
}
