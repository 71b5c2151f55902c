"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/auth/action";
import { addConnector, removeConnector, setConnectorCredentials, setConnectorEnabled } from "@/lib/connectors/manage";
import { runConnector } from "@/lib/connectors/run";

const id = z.object({ id: z.coerce.number().int().positive() });

export const addConnectorAction = action(
  { roles: ["admin"] },
  z.object({
    vendor: z.string(),
    name: z.string(),
    baseUrl: z.string().optional(),
    scope: z.string().default(""),
    secret: z.string().default(""),
    schedule: z.string().optional(),
    backfillDays: z.string().optional(),
  }),
  async (input, viewer) => {
    const c = await addConnector({ ...input, schedule: input.schedule || undefined, backfillDays: input.backfillDays || undefined }, viewer.email);
    revalidatePath("/admin/connectors");
    return { id: c.id };
  },
);

// A run is started and awaited for a few seconds: a short run reports at once, a long
// backfill goes on in the background and the page shows it as running.
export const runConnectorAction = action({ roles: ["admin"] }, id, async ({ id }, viewer) => {
  const run = runConnector(id, { trigger: "manual", actor: viewer.email });
  const done = await Promise.race([run, new Promise<null>((r) => setTimeout(() => r(null), 15_000))]);
  revalidatePath("/admin/connectors");
  if (!done) return { state: "running" };
  if (done.status === "busy") return { state: "busy" };
  return { state: done.status, error: done.error ?? null };
});

export const setCredentialsAction = action({ roles: ["admin"] }, id.extend({ secret: z.string().default("") }), async ({ id, secret }, viewer) => {
  await setConnectorCredentials(id, secret, viewer.email);
  revalidatePath("/admin/connectors");
  return {};
});

export const toggleConnectorAction = action({ roles: ["admin"] }, id.extend({ enabled: z.enum(["true", "false"]) }), async ({ id, enabled }, viewer) => {
  await setConnectorEnabled(id, enabled === "true", viewer.email);
  revalidatePath("/admin/connectors");
  return {};
});

export const removeConnectorAction = action({ roles: ["admin"] }, id, async ({ id }, viewer) => {
  await removeConnector(id, viewer.email);
  revalidatePath("/admin/connectors");
  return {};
});
