import { db } from "@/lib/db/client";

/** The admin home's counts: what needs attention (unreviewed teams, unmapped identities). */
export async function getAdminOverview() {
  const prisma = await db();
  const [teams, unreviewed, people, unmapped, keys, users] = await Promise.all([
    prisma.team.count({ where: { archivedAt: null } }),
    prisma.team.count({ where: { unreviewed: true, archivedAt: null } }),
    prisma.person.count(),
    prisma.identity.count({ where: { personId: null } }),
    prisma.apiKey.count({ where: { revokedAt: null } }),
    prisma.user.count({ where: { disabledAt: null } }),
  ]);
  return { teams, unreviewed, people, unmapped, keys, users };
}
