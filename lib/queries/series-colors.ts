import { modelColors, toolColors } from "@/lib/charts/colors";
import { getModels, getTools } from "@/lib/queries/catalog";

// The colour of each tool and model, from the catalogue (not from what one chart shows), so
// a tool has one colour on the overview, a team page and trends (lib/charts/colors.ts).

export async function getSeriesColors(by: "tool" | "model"): Promise<Record<string, string>> {
  if (by === "tool") return toolColors([...(await getTools())].sort((a, b) => a.id - b.id).map((t) => t.slug));
  return modelColors(await getModels());
}
