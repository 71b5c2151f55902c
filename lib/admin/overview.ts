import { db } from "@/lib/db/client";

/** The admin home's counts: what needs attention (unreviewed teams, unmapped identities). */
export async function getAdminOverview() {
  const prisma = await db();
  const [all, unreviewed, people, unmapped, keys, users] = await Promise.all([
    prisma.team.findMany({ where: { archivedAt: null }, select: { id: true, parentId: true, slug: true } }),
    prisma.team.count({ where: { unreviewed: true, archivedAt: null } }),
    prisma.person.count(),
    prisma.identity.count({ where: { personId: null } }),
    prisma.apiKey.count({ where: { revokedAt: null } }),
    prisma.user.count({ where: { disabledAt: null } }),
  ]);
  // Counted as everywhere else (README, start-up): teams are the units without sub-teams;
  // groups and the org root are not teams, and neither is `unassigned`.
  const parents = new Set(all.map((t) => t.parentId).filter((id) => id !== null));
  const teams = all.filter((t) => !parents.has(t.id) && t.slug !== "unassigned").length;
  const groups = all.filter((t) => parents.has(t.id)).length;
  return { teams, groups, unreviewed, people, unmapped, keys, users };
}
