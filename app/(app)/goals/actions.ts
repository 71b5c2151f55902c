"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/auth/action";
import { deleteGoal, goalInput, saveGoal } from "@/lib/insights/goals";

// Goals are set by admins and the team's managers; saveGoal checks the team itself.

export const setGoalAction = action({ roles: ["admin", "manager"] }, goalInput, async (input, viewer) => {
  const goal = await saveGoal(input, viewer);
  revalidatePath("/goals");
  revalidatePath(`/teams/${input.team}`);
  return { id: goal.id };
});

export const removeGoalAction = action({ roles: ["admin", "manager"] }, z.object({ id: z.coerce.number().int().positive() }), async ({ id }, viewer) => {
  await deleteGoal(id, viewer);
  revalidatePath("/goals");
  return undefined;
});
