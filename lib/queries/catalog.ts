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
