"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/auth/action";
import { config } from "@/lib/config";
import { dayStart, isIsoDate } from "@/lib/time/calendar";
import { movePerson, mapIdentity } from "@/lib/admin/people";
import { slugSchema } from "@/lib/admin/teams";
import { erasePerson } from "@/lib/admin/erase-person";

const isoDate = z.string().refine(isIsoDate, "a date as YYYY-MM-DD");

export const movePersonAction = action(
  { roles: ["admin"] },
  z.object({ personId: z.coerce.number().int().positive(), team: slugSchema, effective: isoDate }),
  async ({ personId, team, effective }, viewer) => {
    const r = await movePerson(personId, team, dayStart(effective, config().WAKEBOARD_TZ), viewer.email);
    revalidatePath("/admin/people");
    return { moved: r.moved };
  },
);

export const mapIdentityAction = action(
  { roles: ["admin"] },
  z.object({ identityId: z.coerce.number().int().positive(), person: z.email("the person's email") }),
  async ({ identityId, person }, viewer) => {
    const r = await mapIdentity(identityId, person, viewer.email);
    revalidatePath("/admin/identities");
    return r;
  },
);

// Erasure is irreversible: the admin types the email again to confirm (docs/operations.md#erasure).
export const erasePersonAction = action(
  { roles: ["admin"] },
  z
    .object({ email: z.string().trim().min(1), confirm: z.string().trim() })
    .refine((v) => v.confirm.toLowerCase() === v.email.toLowerCase(), { path: ["confirm"], message: "type the person's email exactly to confirm" }),
  async ({ email }, viewer) => {
    const r = await erasePerson(email, viewer.email);
    revalidatePath("/admin/people");
    return { ...r, message: `Erased: ${r.events} event(s) anonymised, ${r.identities} identit${r.identities === 1 ? "y" : "ies"} removed${r.login ? ", login removed" : ""}.` };
  },
);
