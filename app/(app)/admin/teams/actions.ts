"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/auth/action";
import { createTeam, headcountSchema, setTeamArchived, slugSchema, updateTeam } from "@/lib/admin/teams";

const id = z.coerce.number().int().positive();
const parentId = z.union([z.literal("").transform(() => null), z.coerce.number().int().positive()]);
const name = z.string().trim().min(1, "give a name").max(200);

export const createTeamAction = action(
  { roles: ["admin"] },
  z.object({ slug: slugSchema, name: z.string().trim().max(200).default(""), parentId: parentId.prefault(""), headcount: headcountSchema.prefault("") }),
  async (input, viewer) => {
    const team = await createTeam(input, viewer.email);
    revalidatePath("/admin/teams");
    return { slug: team.slug };
  },
);

export const updateTeamAction = action(
  { roles: ["admin"] },
  z.object({ id, name, parentId, headcount: headcountSchema }),
  async ({ id, ...changes }, viewer) => {
    await updateTeam(id, changes, viewer.email);
    revalidatePath("/admin/teams");
    return undefined;
  },
);

export const archiveTeamAction = action(
  { roles: ["admin"] },
  z.object({ id, archived: z.enum(["1", "0"]).transform((v) => v === "1") }),
  async ({ id, archived }, viewer) => {
    await setTeamArchived(id, archived, viewer.email);
    revalidatePath("/admin/teams");
    return undefined;
  },
);
