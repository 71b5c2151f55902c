import Link from "next/link";
import type { LeaderboardRow } from "@/lib/queries/get-leaderboard";
import { METRIC_INFO, type Metric } from "@/lib/queries/metrics";
import type { SearchParams, SortKey } from "@/lib/queries/params";
import { defaultDir } from "@/lib/queries/sort-leaderboard";
import { hrefWith } from "@/lib/queries/url";
import { formatCompact, formatExact, formatMetric, formatPct, formatUsd } from "@/lib/charts/format";
import { Change, RankChange } from "@/components/dashboard/ui";
import { Sparkline } from "@/components/dashboard/sparkline";

// The ranking table. Sorting is a link (the URL holds it), so it works without JavaScript,
// survives reloads and is announced by screen readers through aria-sort.

interface Column {
  key: SortKey;
  label: string;
  cell: (r: LeaderboardRow) => { text: string; title?: string };
}

const COLUMNS: Column[] = [
  { key: "tokens", label: "Tokens", cell: (r) => ({ text: formatCompact(r.tokens), title: `${formatExact(r.tokens)} tokens` }) },
  { key: "invocations", label: "Invocations", cell: (r) => ({ text: formatCompact(r.invocations), title: formatExact(r.invocations) }) },
  { key: "active_users", label: "Active", cell: (r) => ({ text: formatExact(r.activeUsers) }) },
  { key: "headcount", label: "Headcount", cell: (r) => ({ text: formatExact(r.headcount) }) },
  { key: "adoption", label: "Adoption", cell: (r) => ({ text: formatPct(r.adoptionPct), title: r.headcount ? `${r.activeUsers} of ${r.headcount}` : "No headcount" }) },
  { key: "tokens_per_engineer", label: "Tokens / eng.", cell: (r) => ({ text: formatCompact(r.tokensPerEngineer), title: formatExact(r.tokensPerEngineer) }) },
  { key: "cost", label: "Cost", cell: (r) => ({ text: formatUsd(r.costUsd, true), title: formatUsd(r.costUsd) }) },
];

export function LeaderboardTable(props: {
  rows: LeaderboardRow[];
  metric: Metric;
  sort: SortKey;
  dir: "asc" | "desc";
  path: string;
  params: SearchParams;
  caption: string;
  compact?: boolean;
  sparkGrain?: "day" | "week";
  /** Per sparkline bucket: partial (drawn dashed, "so far"). */
  sparkPartial?: boolean[];
  /** An extra column after Growth (the goals column). */
  extra?: { label: string; cell: (r: LeaderboardRow) => React.ReactNode };
}) {
  const info = METRIC_INFO[props.metric];
  const showValue = !["tokens", "invocations", "active_users", "adoption", "tokens_per_engineer", "cost"].includes(props.metric);
  const columns = props.compact ? COLUMNS.filter((c) => ["tokens", "active_users", "adoption"].includes(c.key)) : COLUMNS;
  // The compact table (overview's Top 10) fits a 390 px screen: tighter cells, and the
  // active-people column only from the sm breakpoint.
  const pad = props.compact ? "px-1.5" : "px-3";
  const only = (key: SortKey) => (props.compact && key === "active_users" ? "hidden sm:table-cell" : "");

  const header = (key: SortKey, label: string, align: "left" | "right" = "right") => {
    const active = props.sort === key;
    const nextDir = active ? (props.dir === "asc" ? "desc" : "asc") : defaultDir(key);
    const content = props.compact ? (
      label
    ) : (
      <Link
        href={hrefWith(props.path, props.params, { sort: key === "rank" ? null : key, dir: nextDir === defaultDir(key) ? null : nextDir })}
        scroll={false}
        className="inline-flex items-center gap-1 hover:text-slate-900"
      >
        {label}
        <span aria-hidden className="text-slate-400">{active ? (props.dir === "asc" ? "↑" : "↓") : ""}</span>
      </Link>
    );
    return (
      <th key={key} scope="col" aria-sort={active ? (props.dir === "asc" ? "ascending" : "descending") : undefined} className={`whitespace-nowrap ${pad} py-2 font-medium text-${align} ${only(key)}`}>
        {content}
      </th>
    );
  };

  return (
    <div className="relative overflow-x-auto" data-fit={props.compact ? "" : undefined}>
      <table className={`w-full border-collapse text-sm tabular-nums ${props.compact ? "" : "min-w-[860px]"}`} data-testid="leaderboard">
        <caption className="sr-only">{props.caption}</caption>
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {header("rank", "Rank", "left")}
            <th scope="col" className={`${props.compact ? "px-1" : "px-2"} py-2 text-left font-medium`}>
              <span className="sr-only">Rank change</span>
              <span aria-hidden>±</span>
            </th>
            {header("team", "Team", "left")}
            {showValue && header(props.metric === "growth" ? "growth" : "rank", info.label)}
            {columns.map((c) => header(c.key, c.label))}
            {!props.compact && header("growth", "Growth")}
            {props.extra && <th scope="col" className="px-3 py-2 text-left font-medium">{props.extra.label}</th>}
            {!props.compact && (
              <th scope="col" className="px-3 py-2 text-left font-medium">
                Trend
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.slug} className="border-b border-slate-100 last:border-0 hover:bg-slate-50">
              <td className={`whitespace-nowrap ${pad} py-2 font-semibold text-slate-900`}>{r.rank ?? "—"}</td>
              <td className={`whitespace-nowrap ${props.compact ? "px-1" : "px-2"} py-2 text-xs`}>
                <RankChange change={r.rankChange} status={r.rankStatus} note={r.rankNote} />
              </td>
              <th scope="row" className={`${pad} py-2 text-left font-medium ${props.compact ? "max-w-[6.5rem] truncate sm:max-w-[12rem]" : ""}`}>
                <Link href={`/teams/${r.slug}`} className="text-slate-900 hover:text-brand-700 hover:underline" title={r.path}>
                  {r.name}
                </Link>
                {r.isGroup && <span className="ml-1 text-xs font-normal text-slate-400">group</span>}
              </th>
              {showValue && (
                <td className="whitespace-nowrap px-3 py-2 text-right font-semibold" title={formatExact(r.value)}>
                  {formatMetric(r.value, info.unit)}
                </td>
              )}
              {columns.map((c) => {
                const v = c.cell(r);
                return (
                  <td key={c.key} className={`whitespace-nowrap ${pad} py-2 text-right ${only(c.key)} ${c.key === metricColumn(props.metric) ? "font-semibold text-slate-900" : "text-slate-700"}`} title={v.title}>
                    {v.text}
                  </td>
                );
              })}
              {!props.compact && (
                <td className="whitespace-nowrap px-3 py-2 text-right" data-testid="growth">
                  <Change pct={r.growthPct} note={r.growthNote} />
                </td>
              )}
              {props.extra && <td className="px-3 py-2">{props.extra.cell(r)}</td>}
              {!props.compact && (
                <td className="px-3 py-1">
                  <Sparkline values={r.sparkline} partial={props.sparkPartial} label={`${r.name}: ${SPARK_LABEL[info.base]} per ${props.sparkGrain ?? "day"}`} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const SPARK_LABEL: Record<string, string> = {
  tokens: "tokens",
  invocations: "invocations",
  activeUsers: "active users",
  costUsd: "cost",
  linesAdded: "lines added",
  commits: "commits",
  pullRequests: "pull requests",
  aiMergedPrs: "AI-assisted merged PRs",
  mergedPrs: "merged PRs",
  aiCommits: "AI co-authored commits",
  landedCommits: "commits landed",
};

function metricColumn(m: Metric): SortKey | null {
  return m === "tokens" || m === "invocations" || m === "active_users" || m === "adoption" || m === "tokens_per_engineer" || m === "cost" ? m : null;
}
