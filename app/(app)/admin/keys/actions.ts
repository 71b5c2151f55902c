"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/auth/action";
import { createAdminKey } from "@/lib/admin/keys";
import { revokeKey, SCOPES } from "@/lib/keys/api-keys";

const scopeList = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(SCOPES)).min(1, "pick at least one scope"));

export const createKeyAction = action(
  { roles: ["admin"] },
  z.object({ name: z.string().trim().min(1, "give the key a name").max(100), scopes: scopeList, team: z.string().trim().toLowerCase().default("") }),
  async ({ name, scopes, team }, viewer) => {
    const key = await createAdminKey({ name, scopes, team }, viewer.email);
    revalidatePath("/admin/keys");
    // The secret leaves the server this once; only its hash is stored.
    return { secret: key.secret, prefix: key.prefix };
  },
);

export const revokeKeyAction = action({ roles: ["admin"] }, z.object({ id: z.coerce.number().int().positive() }), async ({ id }, viewer) => {
  const revoked = await revokeKey(id, viewer.email);
  revalidatePath("/admin/keys");
  return { revoked };
});
