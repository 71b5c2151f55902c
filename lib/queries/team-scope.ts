import { NotFoundError } from "@/lib/queries/errors";
import type { Org, OrgTeam } from "@/lib/queries/org";

/** A team page covers the team and its sub-teams (a group's page adds up its teams). */
export function teamScope(org: Org, slug: string): { team: OrgTeam; teamIds: number[] } {
  const team = org.bySlug.get(slug);
  if (!team) throw new NotFoundError("team", slug);
  return { team, teamIds: org.subtree(team.id) };
}
