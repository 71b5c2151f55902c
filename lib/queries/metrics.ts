import { z } from "zod";
import type { GithubSums } from "@/lib/queries/github-sums";

// One definition of every figure (DESIGN.md §5), used by pages, the JSON API and the export.

/** Summed counters of a set of rollup rows, plus distinct active people. */
export interface Sums {
  events: number;
  invocations: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** input + output + cache read + cache write */
  tokens: number;
  costUsd: number;
  linesAdded: number;
  linesRemoved: number;
  commits: number;
  pullRequests: number;
  /** Distinct people with invocations or tokens > 0. */
  activeUsers: number;
}

export const ZERO: Sums = {
  events: 0,
  invocations: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  tokens: 0,
  costUsd: 0,
  linesAdded: 0,
  linesRemoved: 0,
  commits: 0,
  pullRequests: 0,
  activeUsers: 0,
};

export const METRICS = [
  "tokens",
  "invocations",
  "active_users",
  "adoption",
  "tokens_per_engineer",
  "invocations_per_engineer",
  "growth",
  "cost",
  "lines_added",
  "commits",
  "pull_requests",
  // GitHub outcomes (docs/github.md), from the github_daily rollup.
  "ai_pr_share",
  "ai_merged_prs",
  "merged_prs",
  "ai_commit_share",
  "ai_commits",
] as const;
export const metricParam = z.enum(METRICS);
export type Metric = z.infer<typeof metricParam>;

type Additive = "tokens" | "invocations" | "activeUsers" | "costUsd" | "linesAdded" | "commits" | "pullRequests" | keyof GithubSums;

export interface MetricInfo {
  label: string;
  /** How to format it. */
  unit: "count" | "tokens" | "percent" | "usd";
  /** The summed counter it is built on (growth is token growth; the sparkline draws this). */
  base: Additive;
}

export const METRIC_INFO: Record<Metric, MetricInfo> = {
  tokens: { label: "Tokens", unit: "tokens", base: "tokens" },
  invocations: { label: "Invocations", unit: "count", base: "invocations" },
  active_users: { label: "Active users", unit: "count", base: "activeUsers" },
  adoption: { label: "Adoption", unit: "percent", base: "activeUsers" },
  tokens_per_engineer: { label: "Tokens per engineer", unit: "tokens", base: "tokens" },
  invocations_per_engineer: { label: "Invocations per engineer", unit: "count", base: "invocations" },
  growth: { label: "Token growth", unit: "percent", base: "tokens" },
  cost: { label: "Cost", unit: "usd", base: "costUsd" },
  lines_added: { label: "Lines added", unit: "count", base: "linesAdded" },
  commits: { label: "Commits", unit: "count", base: "commits" },
  pull_requests: { label: "Pull requests", unit: "count", base: "pullRequests" },
  ai_pr_share: { label: "AI-assisted PR share", unit: "percent", base: "aiMergedPrs" },
  ai_merged_prs: { label: "AI-assisted merged PRs", unit: "count", base: "aiMergedPrs" },
  merged_prs: { label: "Merged PRs", unit: "count", base: "mergedPrs" },
  ai_commit_share: { label: "AI co-authored commit share", unit: "percent", base: "aiCommits" },
  ai_commits: { label: "AI co-authored commits", unit: "count", base: "aiCommits" },
};

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Active users ÷ headcount in percent to one decimal; null when headcount is 0. */
export function adoptionPct(activeUsers: number, headcount: number): number | null {
  return headcount > 0 ? round1((activeUsers / headcount) * 100) : null;
}

/** A counter ÷ headcount to one decimal; null when headcount is 0. */
export function perEngineer(value: number, headcount: number): number | null {
  return headcount > 0 ? round1(value / headcount) : null;
}

/** A part of a whole in percent to one decimal; null when the whole is 0 (nothing to share). */
export function sharePct(part: number, whole: number): number | null {
  return whole > 0 ? round1((part / whole) * 100) : null;
}

/** Percent change to one decimal; null when the previous value is 0 (or unknown). */
export function growthPct(current: number, previous: number | null | undefined): number | null {
  return previous ? round1(((current - previous) / previous) * 100) : null;
}

/** A unit's figures: usage sums, headcount and, where read, its GitHub outcomes. */
export interface Figures extends Sums, Partial<GithubSums> {
  headcount: number;
}

/** The value a metric ranks by. `previous` is needed for growth only. */
export function metricValue(metric: Metric, cur: Figures, previous?: Figures | null): number | null {
  switch (metric) {
    case "adoption":
      return adoptionPct(cur.activeUsers, cur.headcount);
    case "tokens_per_engineer":
      return perEngineer(cur.tokens, cur.headcount);
    case "invocations_per_engineer":
      return perEngineer(cur.invocations, cur.headcount);
    case "growth":
      return growthPct(cur.tokens, previous?.tokens);
    case "ai_pr_share":
      return sharePct(cur.aiMergedPrs ?? 0, cur.mergedPrs ?? 0);
    case "ai_commit_share":
      return sharePct(cur.aiCommits ?? 0, cur.landedCommits ?? 0);
    default:
      return cur[METRIC_INFO[metric].base] ?? 0;
  }
}

/** Any usage at all (the rule for "had no usage before" in rank change). */
export const hasUsage = (s: Sums) => s.invocations > 0 || s.tokens > 0 || s.events > 0;
