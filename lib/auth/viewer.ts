import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { authOptions } from "@/lib/auth/options";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";

/** Who is looking at a page: read from the database (cached briefly), not from the cookie. */
export interface Viewer {
  id: number;
  email: string;
  name: string;
  role: Role;
  /** Teams managed directly, plus all their sub-teams. */
  managedTeamIds: number[];
}

const TTL_MS = 30_000;
const cache = new Map<number, { at: number; viewer: Viewer | null }>();

export function forgetViewer(id?: number): void {
  if (id === undefined) cache.clear();
  else cache.delete(id);
}

export async function loadViewer(id: number, now = Date.now()): Promise<Viewer | null> {
  const hit = cache.get(id);
  if (hit && now - hit.at < TTL_MS) return hit.viewer;
  const prisma = await db();
  const user = await prisma.user.findUnique({ where: { id }, include: { managedTeams: true } });
  let viewer: Viewer | null = null;
  if (user && !user.disabledAt) {
    const direct = user.managedTeams.map((m) => m.teamId);
    const managed = direct.length
      ? await prisma.$queryRaw<{ id: number }[]>`
          WITH RECURSIVE t AS (SELECT id FROM teams WHERE id = ANY(${direct}::int[])
            UNION SELECT c.id FROM teams c JOIN t ON c.parent_id = t.id)
          SELECT id FROM t`
      : [];
    viewer = { id: user.id, email: user.email, name: user.name, role: user.role, managedTeamIds: managed.map((m) => m.id) };
  }
  cache.set(id, { at: now, viewer });
  return viewer;
}

/** The signed-in viewer, or null. */
export async function currentViewer(): Promise<Viewer | null> {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: number } | undefined)?.id;
  return typeof id === "number" ? loadViewer(id) : null;
}

/** For pages: the viewer, or a redirect to /login; with `roles`, a 403 page otherwise. */
export async function requireViewer(roles?: Role[]): Promise<Viewer> {
  const viewer = await currentViewer();
  if (!viewer) redirect("/login");
  if (roles && !roles.includes(viewer.role)) redirect("/forbidden");
  return viewer;
}

/** May this viewer see per-person figures of the team? (DESIGN.md §5, §7; the privacy floor is checked by the query.) */
export function canSeePeople(viewer: Viewer, teamId: number): boolean {
  return viewer.role === "admin" || (viewer.role === "manager" && viewer.managedTeamIds.includes(teamId));
}
