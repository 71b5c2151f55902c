import { z } from "zod";

// The weekly export's columns (DESIGN.md §8), in this order. The team × tool grain adds
// `tool`, the person grain `person_email, person_name`, right after `team_path`.

export const EXPORT_GRAINS = ["team", "team-tool", "person"] as const;
export const exportGrainParam = z.enum(EXPORT_GRAINS, { error: 'must be "team", "team-tool" or "person"' });
export type ExportGrain = z.infer<typeof exportGrainParam>;

const LEAD = ["week", "team", "team_path"] as const;
const FIGURES = [
  "headcount",
  "active_users",
  "adoption_pct",
  "invocations",
  "input_tokens",
  "output_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "total_tokens",
  "cost_usd",
  "rank",
  "rank_change",
  // Appended later, never inserted above (§8): GitHub outcomes (docs/github.md).
  "merged_prs",
  "ai_merged_prs",
  "ai_pr_share_pct",
  "landed_commits",
  "ai_commits",
  "ai_commit_share_pct",
] as const;
const EXTRA = { team: [], "team-tool": ["tool"], person: ["person_email", "person_name"] } as const;

export type ExportColumn = (typeof LEAD)[number] | (typeof FIGURES)[number] | "tool" | "person_email" | "person_name";

/** One output row; null is an empty cell (a value that is undefined, e.g. adoption without headcount). */
export type ExportRecord = Partial<Record<ExportColumn, string | number | null>>;

export function exportColumns(grain: ExportGrain): ExportColumn[] {
  return [...LEAD, ...EXTRA[grain], ...FIGURES];
}

export const GRAIN_LABELS: Record<ExportGrain, string> = {
  team: "One row per team",
  "team-tool": "One row per team and tool",
  person: "One row per person",
};

/** `wakeboard-2026-W48-team.csv` */
export function exportFileName(week: string, grain: ExportGrain): string {
  return `wakeboard-${week}-${grain}.csv`;
}
