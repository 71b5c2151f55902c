import { z } from "zod";
import { assertSafeText } from "@/lib/text/safe-text";
import { db } from "@/lib/db/client";
import { AdminError } from "@/lib/admin/errors";
import { audit } from "@/lib/admin/audit";

// The org tree (DESIGN.md §3): create, rename, move, archive, headcount override. Archived
// teams keep their history; moving a team never creates a cycle.

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "1–64 characters: a-z, 0-9, '.', '_', '-'");

export const headcountSchema = z.union([z.literal("").transform(() => null), z.null(), z.coerce.number().int("a whole number").min(0, "0 or more").max(1_000_000)]);

export interface AdminTeam {
  id: number;
  slug: string;
  name: string;
  parentId: number | null;
  headcountOverride: number | null;
  unreviewed: boolean;
  archived: boolean;
  members: number;
  depth: number;
}

/** All teams in tree order (parents before children, siblings by name), with current member counts. */
export async function listTeamTree(): Promise<AdminTeam[]> {
  const teams = await (await db()).team.findMany({ include: { _count: { select: { people: true } } }, orderBy: [{ name: "asc" }, { slug: "asc" }] });
  const children = new Map<number | null, typeof teams>();
  for (const t of teams) children.set(t.parentId, [...(children.get(t.parentId) ?? []), t]);
  const out: AdminTeam[] = [];
  const walk = (parent: number | null, depth: number) => {
    for (const t of children.get(parent) ?? []) {
      out.push({ id: t.id, slug: t.slug, name: t.name, parentId: t.parentId, headcountOverride: t.headcountOverride, unreviewed: t.unreviewed, archived: !!t.archivedAt, members: t._count.people, depth });
      walk(t.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

async function teamOrFail(id: number) {
  const team = await (await db()).team.findUnique({ where: { id } });
  if (!team) throw new AdminError("That team no longer exists.");
  return team;
}

export async function createTeam(input: { slug: string; name: string; parentId: number | null; headcount: number | null }, actor: string) {
  assertSafeText(input.name, "name", (m) => new AdminError(m, "name"));
  const prisma = await db();
  if (await prisma.team.findUnique({ where: { slug: input.slug } })) throw new AdminError(`A team with slug "${input.slug}" already exists.`, "slug");
  if (input.parentId !== null) await teamOrFail(input.parentId);
  return prisma.$transaction(async (tx) => {
    const team = await tx.team.create({ data: { slug: input.slug, name: input.name || input.slug, parentId: input.parentId, headcountOverride: input.headcount } });
    await audit(tx, actor, "team.create", { type: "team", id: team.id }, { slug: team.slug, name: team.name, parentId: team.parentId, headcount: input.headcount });
    return team;
  });
}

/** Rename, re-parent, set the headcount override; also clears the "unreviewed" mark. */
export async function updateTeam(id: number, input: { name?: string; parentId?: number | null; headcount?: number | null }, actor: string) {
  assertSafeText(input.name, "name", (m) => new AdminError(m, "name"));
  const prisma = await db();
  const team = await teamOrFail(id);
  if (input.parentId !== undefined && input.parentId !== null) {
    // Walk up from the new parent: meeting the team itself means a cycle.
    let cursor: number | null = input.parentId;
    while (cursor !== null) {
      if (cursor === id) throw new AdminError("A team cannot be moved under itself or one of its sub-teams.", "parentId");
      const up: { parentId: number | null } | null = await prisma.team.findUnique({ where: { id: cursor }, select: { parentId: true } });
      if (!up) throw new AdminError("The new parent team does not exist.", "parentId");
      cursor = up.parentId;
    }
  }
  const data = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.parentId !== undefined ? { parentId: input.parentId } : {}),
    ...(input.headcount !== undefined ? { headcountOverride: input.headcount } : {}),
    unreviewed: false,
  };
  return prisma.$transaction(async (tx) => {
    const updated = await tx.team.update({ where: { id }, data });
    const changes: Record<string, unknown> = {};
    if (input.name !== undefined && input.name !== team.name) changes.name = { from: team.name, to: input.name };
    if (input.parentId !== undefined && input.parentId !== team.parentId) changes.parentId = { from: team.parentId, to: input.parentId };
    if (input.headcount !== undefined && input.headcount !== team.headcountOverride) changes.headcount = { from: team.headcountOverride, to: input.headcount };
    if (team.unreviewed) changes.reviewed = true;
    if (Object.keys(changes).length) await audit(tx, actor, "team.update", { type: "team", id }, { slug: team.slug, ...changes } as never);
    return updated;
  });
}

/** Archived teams keep their history and still show in past periods; people must leave first. */
export async function setTeamArchived(id: number, archived: boolean, actor: string) {
  const prisma = await db();
  const team = await teamOrFail(id);
  if (archived) {
    const members = await prisma.person.count({ where: { teamId: id } });
    if (members) throw new AdminError(`Move the ${members} current member(s) of ${team.slug} to another team before archiving it.`);
    const active = await prisma.team.count({ where: { parentId: id, archivedAt: null } });
    if (active) throw new AdminError(`Archive or move the ${active} sub-team(s) of ${team.slug} first.`);
  }
  return prisma.$transaction(async (tx) => {
    const updated = await tx.team.update({ where: { id }, data: { archivedAt: archived ? (team.archivedAt ?? new Date()) : null } });
    await audit(tx, actor, archived ? "team.archive" : "team.unarchive", { type: "team", id }, { slug: team.slug });
    return updated;
  });
}
