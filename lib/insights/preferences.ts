import { db } from "@/lib/db/client";
import { audit } from "@/lib/admin/audit";
import type { Viewer } from "@/lib/auth/viewer";

// What reaches a user besides the alerts they subscribe to (the Monday digest), and the
// org-wide switch for ranking individuals, which stays off unless an admin turns it on.

export async function digestEmailOn(userId: number): Promise<boolean> {
  const prisma = await db();
  return (await prisma.userPreference.findUnique({ where: { userId } }))?.digestEmail ?? true;
}

export async function setDigestEmail(viewer: Viewer, on: boolean): Promise<void> {
  const prisma = await db();
  await prisma.userPreference.upsert({ where: { userId: viewer.id }, create: { userId: viewer.id, digestEmail: on }, update: { digestEmail: on } });
}

const RANK_INDIVIDUALS = "rank_individuals";

export async function rankIndividualsOn(): Promise<boolean> {
  const prisma = await db();
  return (await prisma.appSetting.findUnique({ where: { key: RANK_INDIVIDUALS } }))?.value === true;
}

export async function setRankIndividuals(viewer: Viewer, on: boolean): Promise<void> {
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    await tx.appSetting.upsert({ where: { key: RANK_INDIVIDUALS }, create: { key: RANK_INDIVIDUALS, value: on, updatedBy: viewer.email }, update: { value: on, updatedBy: viewer.email } });
    await audit(tx, viewer.email, on ? "setting.rank_individuals.on" : "setting.rank_individuals.off", { type: "setting", id: RANK_INDIVIDUALS });
  });
}

/** The rules a user receives by email. */
export async function mySubscriptions(userId: number) {
  const prisma = await db();
  return prisma.alertSubscription.findMany({ where: { userId, rule: { disabledAt: null } }, include: { rule: true }, orderBy: { ruleId: "asc" } });
}
