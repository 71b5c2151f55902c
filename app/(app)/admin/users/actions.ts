"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/auth/action";
import { passwordSchema, roleSchema, saveUser, updateUser } from "@/lib/admin/users";

const slugList = z
  .string()
  .default("")
  .transform((v) => v.split(/[,\s]+/).map((s) => s.trim().toLowerCase()).filter(Boolean));
const optionalPassword = z.union([z.literal("").transform(() => undefined), passwordSchema]).optional();

export const createUserAction = action(
  { roles: ["admin"] },
  z.object({ email: z.email("an email address"), name: z.string().trim().max(200).default(""), role: roleSchema, password: optionalPassword, manages: slugList }),
  async (input, viewer) => {
    const u = await saveUser(input, viewer.email);
    revalidatePath("/admin/users");
    return { id: u.id };
  },
);

export const updateUserAction = action(
  { roles: ["admin"] },
  z.object({
    id: z.coerce.number().int().positive(),
    role: roleSchema,
    manages: slugList,
    password: optionalPassword,
    disabled: z.enum(["on", "1"]).optional().transform((v) => v !== undefined),
  }),
  async ({ id, ...changes }, viewer) => {
    await updateUser(id, changes, viewer.email);
    revalidatePath("/admin/users");
    return undefined;
  },
);
