import type { Org } from "@/lib/queries/org";

/**
 * The org unit an API key restricted to a team may read: its own team by default, or a
 * unit inside it. Returns the unit to use, or null when the asked unit is outside.
 */
export function unitForKey(org: Org, keyTeamId: number | null | undefined, asked: string | null): string | null | false {
  if (!keyTeamId) return asked;
  const own = org.byId.get(keyTeamId);
  if (!own) return false;
  if (!asked) return own.slug;
  const unit = org.bySlug.get(asked);
  return unit && org.ancestors(unit.id).includes(keyTeamId) ? asked : false;
}
