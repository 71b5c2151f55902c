import { z } from "zod";
import { db } from "@/lib/db/client";
import { audit } from "@/lib/admin/audit";
import { AdminError } from "@/lib/admin/errors";
import type { Viewer } from "@/lib/auth/viewer";
import { loadOrg } from "@/lib/queries/org";
import { CEILING_METRICS, GOAL_KINDS, goalMetricParam } from "@/lib/insights/goal-state";
import { teamGoalProgress, type GoalProgress } from "@/lib/insights/goal-progress";

// Goals per team (issue 15): set by admins and by the team's managers (a manager of a group
// manages its sub-teams too). One goal per team, metric and kind; setting it again replaces
// the value.

export const goalInput = z
  .object({
    team: z.string().trim().toLowerCase().min(1, "pick a team"),
    metric: goalMetricParam,
    kind: z.enum(GOAL_KINDS).default("target"),
    value: z.coerce.number({ error: "a number" }).positive("must be more than 0").max(1e15),
  })
  .refine((g) => g.kind === "target" || (CEILING_METRICS as readonly string[]).includes(g.metric), { message: "a ceiling is set on cost", path: ["kind"] })
  .refine((g) => !["adoption"].includes(g.metric) || g.value <= 100, { message: "adoption is a percentage (at most 100)", path: ["value"] });
export type GoalInputValues = z.infer<typeof goalInput>;

export function canManageTeam(viewer: Pick<Viewer, "role" | "managedTeamIds">, teamId: number): boolean {
  return viewer.role === "admin" || (viewer.role === "manager" && viewer.managedTeamIds.includes(teamId));
}

export async function saveGoal(input: GoalInputValues, viewer: Viewer) {
  const org = await loadOrg();
  const team = org.bySlug.get(input.team);
  if (!team) throw new AdminError(`No team "${input.team}"`, "team");
  if (!canManageTeam(viewer, team.id)) throw new AdminError(`Only admins and managers of ${team.name} set its goals`, "team");
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const goal = await tx.goal.upsert({
      where: { teamId_metric_kind: { teamId: team.id, metric: input.metric, kind: input.kind } },
      create: { teamId: team.id, metric: input.metric, kind: input.kind, value: input.value, createdBy: viewer.email },
      update: { value: input.value },
    });
    await audit(tx, viewer.email, "goal.set", { type: "team", id: team.slug }, { metric: input.metric, kind: input.kind, value: input.value });
    return goal;
  });
}

export async function deleteGoal(id: number, viewer: Viewer): Promise<void> {
  const prisma = await db();
  const goal = await prisma.goal.findUnique({ where: { id } });
  if (!goal) throw new AdminError("That goal no longer exists");
  if (!canManageTeam(viewer, goal.teamId)) throw new AdminError("Only admins and the team's managers remove its goals");
  await prisma.$transaction(async (tx) => {
    await tx.goal.delete({ where: { id } });
    await audit(tx, viewer.email, "goal.remove", { type: "team", id: String(goal.teamId) }, { metric: goal.metric, kind: goal.kind });
  });
}

/** Every goal of the given teams (all teams when omitted) with this month's progress. */
export async function goalsWithProgress(teamIds?: number[], now = new Date()): Promise<GoalProgress[]> {
  const prisma = await db();
  const goals = await prisma.goal.findMany({ where: teamIds ? { teamId: { in: teamIds } } : undefined, orderBy: [{ teamId: "asc" }, { id: "asc" }] });
  if (goals.length === 0) return [];
  const org = await loadOrg();
  const byTeam = new Map<number, typeof goals>();
  for (const g of goals) byTeam.set(g.teamId, [...(byTeam.get(g.teamId) ?? []), g]);
  const out: GoalProgress[] = [];
  // One team at a time: each reads a few small rollup ranges; in parallel they would crowd the pool.
  for (const [teamId, list] of byTeam) {
    const team = org.byId.get(teamId);
    if (!team) continue;
    out.push(...(await teamGoalProgress(team.slug, list, now)));
  }
  return out;
}

/** This month's goals of the given teams, by team id (the leaderboard's goal column). */
export async function goalsByTeam(teamIds: number[], now = new Date()): Promise<Map<number, GoalProgress[]>> {
  const out = new Map<number, GoalProgress[]>();
  for (const g of await goalsWithProgress(teamIds, now)) out.set(g.teamId, [...(out.get(g.teamId) ?? []), g]);
  return out;
}
