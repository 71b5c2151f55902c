import { z } from "zod";
import { assertSafeText } from "@/lib/text/safe-text";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { hashPassword } from "@/lib/auth/password";
import { forgetViewer } from "@/lib/auth/viewer";
import { AdminError } from "@/lib/admin/errors";
import { audit } from "@/lib/admin/audit";

// Dashboard logins and their roles (DESIGN.md §7). Changes apply to live sessions within the
// viewer cache's lifetime (lib/auth/viewer.ts); this instance forgets its copy at once.
// There is always at least one active admin, so nobody can lock the organisation out.

export const ROLES = ["admin", "manager", "viewer"] as const satisfies readonly Role[];
export const roleSchema = z.enum(ROLES);
export const passwordSchema = z.string().min(8, "at least 8 characters").max(200);

export interface AdminUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  hasPassword: boolean;
  manages: string[];
  lastLoginAt: Date | null;
  createdAt: Date;
}

export async function listUsers(): Promise<AdminUser[]> {
  const users = await (await db()).user.findMany({ include: { managedTeams: { include: { team: true } } }, orderBy: { email: "asc" } });
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: !!u.disabledAt,
    hasPassword: !!u.passwordHash,
    manages: u.managedTeams.map((m) => m.team.slug).sort(),
    lastLoginAt: u.lastLoginAt,
    createdAt: u.createdAt,
  }));
}

async function teamIds(slugs: string[]): Promise<number[]> {
  const uniq = [...new Set(slugs.map((s) => s.trim().toLowerCase()).filter(Boolean))];
  const teams = await (await db()).team.findMany({ where: { slug: { in: uniq } } });
  const missing = uniq.filter((s) => !teams.some((t) => t.slug === s));
  if (missing.length) throw new AdminError(`Unknown team(s): ${missing.join(", ")}`, "manages");
  return teams.map((t) => t.id);
}

export interface UserInput {
  email: string;
  name?: string;
  role: Role;
  password?: string;
  manages?: string[];
}

/** Creates a login, or (with `upsert`) updates the one with that email. */
export async function saveUser(input: UserInput, actor: string, opts: { upsert?: boolean } = {}) {
  const email = input.email.trim().toLowerCase();
  assertSafeText(input.name, "name", (m) => new AdminError(m, "name"));
  assertSafeText(email, "email", (m) => new AdminError(m, "email"));
  const prisma = await db();
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing && !opts.upsert) throw new AdminError(`A user with email ${email} already exists.`, "email");
  if (existing) return updateUser(existing.id, { role: input.role, name: input.name, password: input.password, manages: input.manages ?? [] }, actor);
  const ids = await teamIds(input.manages ?? []);
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return prisma.$transaction(async (tx) => {
    const u = await tx.user.create({ data: { email, name: input.name ?? "", role: input.role, passwordHash, managedTeams: { create: ids.map((teamId) => ({ teamId })) } } });
    await audit(tx, actor, "user.create", { type: "user", id: u.id }, { email, role: u.role, manages: input.manages ?? [] });
    return u;
  });
}

export interface UserChanges {
  name?: string;
  role?: Role;
  manages?: string[];
  password?: string;
  disabled?: boolean;
}

export async function updateUser(id: number, changes: UserChanges, actor: string) {
  assertSafeText(changes.name, "name", (m) => new AdminError(m, "name"));
  const prisma = await db();
  const user = await prisma.user.findUnique({ where: { id }, include: { managedTeams: { include: { team: true } } } });
  if (!user) throw new AdminError("That user no longer exists.");
  const losesAdmin = user.role === "admin" && !user.disabledAt && ((changes.role && changes.role !== "admin") || changes.disabled === true);
  if (losesAdmin && (await prisma.user.count({ where: { role: "admin", disabledAt: null } })) <= 1) {
    throw new AdminError("This is the last active admin: make someone else admin first.", "role");
  }
  const ids = changes.manages ? await teamIds(changes.manages) : undefined;
  const passwordHash = changes.password ? await hashPassword(changes.password) : undefined;
  const updated = await prisma.$transaction(async (tx) => {
    const u = await tx.user.update({
      where: { id },
      data: {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.role ? { role: changes.role } : {}),
        ...(passwordHash ? { passwordHash } : {}),
        ...(changes.disabled !== undefined ? { disabledAt: changes.disabled ? (user.disabledAt ?? new Date()) : null } : {}),
      },
    });
    if (ids) {
      await tx.managedTeam.deleteMany({ where: { userId: id } });
      if (ids.length) await tx.managedTeam.createMany({ data: ids.map((teamId) => ({ userId: id, teamId })) });
    }
    const diff: Record<string, unknown> = { email: user.email };
    if (changes.role && changes.role !== user.role) diff.role = { from: user.role, to: changes.role };
    if (changes.disabled !== undefined && changes.disabled !== !!user.disabledAt) diff.disabled = changes.disabled;
    if (changes.manages) diff.manages = { from: user.managedTeams.map((m) => m.team.slug).sort(), to: [...changes.manages].sort() };
    if (passwordHash) diff.password = "changed";
    if (changes.name !== undefined && changes.name !== user.name) diff.name = changes.name;
    await audit(tx, actor, "user.update", { type: "user", id }, diff as never);
    return u;
  });
  forgetViewer(id);
  return updated;
}
