import { getModels, getTools } from "@/lib/queries/catalog";
import { loadOrg } from "@/lib/queries/org";
import { METRICS, METRIC_INFO } from "@/lib/queries/metrics";

// What the pickers offer: metrics, tools, models and the org tree in path order.

export interface FilterOption {
  value: string;
  label: string;
  depth?: number;
}

export interface FilterOptions {
  metrics: FilterOption[];
  tools: FilterOption[];
  models: FilterOption[];
  units: FilterOption[];
  teams: FilterOption[];
}

export async function getFilterOptions(): Promise<FilterOptions> {
  const [tools, models, org] = await Promise.all([getTools(), getModels(), loadOrg()]);
  const ordered = [...org.teams].filter((t) => !t.archived).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    metrics: METRICS.map((m) => ({ value: m, label: METRIC_INFO[m].label })),
    tools: tools.map((t) => ({ value: t.slug, label: t.name })),
    models: models.map((m) => ({ value: m, label: m })),
    units: ordered.filter((t) => t.childIds.length > 0).map((t) => ({ value: t.slug, label: t.name, depth: t.depth })),
    teams: ordered.map((t) => ({ value: t.slug, label: t.name, depth: t.depth })),
  };
}
