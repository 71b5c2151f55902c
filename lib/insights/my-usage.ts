import { db } from "@/lib/db/client";
import type { Period } from "@/lib/time/period";
import { getPersonUsage, type PersonUsage } from "@/lib/queries/get-person-usage";
import { rankIndividualsOn } from "@/lib/insights/preferences";

// "My usage" (issue 15): every signed-in user whose email is a person's (their primary
// email, or an email identity mapped to them) sees that person's figures — whatever their
// role, and only theirs: the person is found from the viewer's own email, never from a
// parameter. A rank among colleagues appears only when an admin has turned ranking on.

export interface LinkedPerson {
  id: number;
  name: string;
  email: string;
  team: string | null;
}

export async function personOf(viewer: { email: string }): Promise<LinkedPerson | null> {
  const prisma = await db();
  const email = viewer.email.trim().toLowerCase();
  let person = await prisma.person.findUnique({ where: { email }, include: { team: true } });
  if (!person) {
    const identity = await prisma.identity.findFirst({ where: { value: email, personId: { not: null } }, include: { person: { include: { team: true } } }, orderBy: { id: "asc" } });
    person = identity?.person ?? null;
  }
  return person ? { id: person.id, name: person.name, email: person.email, team: person.team?.name ?? null } : null;
}

export async function myUsage(viewer: { email: string }, period: Period): Promise<{ person: LinkedPerson; usage: PersonUsage } | null> {
  const person = await personOf(viewer);
  if (!person) return null;
  const usage = await getPersonUsage({ personId: person.id, period, withRank: await rankIndividualsOn() });
  return { person, usage };
}
