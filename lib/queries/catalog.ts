import { db } from "@/lib/db/client";

// Tools and models known to the rollups: for filter pickers and slug → id lookups.

export interface ToolInfo {
  id: number;
  slug: string;
  name: string;
}

export async function getTools(): Promise<ToolInfo[]> {
  const prisma = await db();
  return prisma.tool.findMany({ select: { id: true, slug: true, name: true }, orderBy: { slug: "asc" } });
}

/** Tool ids for the given slugs; unknown slugs match nothing (an empty result, not an error). */
export function toolIdsFor(tools: ToolInfo[], slugs: string[] | undefined): number[] | undefined {
  if (!slugs || slugs.length === 0) return undefined;
  return tools.filter((t) => slugs.includes(t.slug)).map((t) => t.id);
}

const MODELS_TTL_MS = 5 * 60_000;
let modelsCache: { at: number; models: string[] } | undefined;

/**
 * Models seen in the last 90 days, for the model filter. No rollup has an index that leads
 * with the model, so the list is kept for a few minutes.
 */
export async function getModels(now = Date.now()): Promise<string[]> {
  if (modelsCache && now - modelsCache.at < MODELS_TTL_MS) return modelsCache.models;
  const prisma = await db();
  const rows = await prisma.$queryRaw<{ model: string }[]>`
    SELECT DISTINCT model FROM daily_team_usage WHERE day >= current_date - 90 AND model <> '' ORDER BY model`;
  modelsCache = { at: now, models: rows.map((r) => r.model) };
  return modelsCache.models;
}
