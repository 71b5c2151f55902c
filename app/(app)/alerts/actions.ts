"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/auth/action";
import { createRule, createWebhook, removeRule, removeWebhook, setSubscription, setWebhookSubscription, webhookInput } from "@/lib/insights/alerts";
import { ruleInput } from "@/lib/insights/rules";

const id = z.coerce.number().int().positive();
const onOff = z.enum(["on", "off"]).transform((v) => v === "on");

export const createRuleAction = action(
  { roles: ["admin", "manager"] },
  z.intersection(ruleInput, z.object({ subscribe: z.enum(["on", "1", "true"]).optional().transform((v) => v !== undefined) })),
  async (input, viewer) => {
    const rule = await createRule(input, viewer);
    revalidatePath("/alerts");
    return { id: rule.id };
  },
);

export const removeRuleAction = action({ roles: ["admin", "manager"] }, z.object({ id }), async ({ id }, viewer) => {
  await removeRule(id, viewer);
  revalidatePath("/alerts");
  return undefined;
});

/** Anyone signed in chooses which alerts reach them by email. */
export const subscribeAction = action({ roles: ["admin", "manager", "viewer"] }, z.object({ ruleId: id, email: onOff }), async ({ ruleId, email }, viewer) => {
  await setSubscription(ruleId, email, viewer);
  revalidatePath("/alerts");
  revalidatePath("/me/notifications");
  return undefined;
});

export const createWebhookAction = action({ roles: ["admin"] }, webhookInput, async (input, viewer) => {
  const hook = await createWebhook(input, viewer);
  revalidatePath("/alerts/webhooks");
  return { id: hook.id, secret: hook.secret };
});

export const removeWebhookAction = action({ roles: ["admin"] }, z.object({ id }), async ({ id }, viewer) => {
  await removeWebhook(id, viewer);
  revalidatePath("/alerts/webhooks");
  return undefined;
});

export const webhookSubscriptionAction = action({ roles: ["admin"] }, z.object({ ruleId: id, webhookId: id, on: onOff }), async ({ ruleId, webhookId, on }) => {
  await setWebhookSubscription(ruleId, webhookId, on);
  revalidatePath("/alerts/webhooks");
  return undefined;
});
