"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/auth/action";
import { setDigestEmail, setRankIndividuals } from "@/lib/insights/preferences";

const onOff = z.enum(["on", "off"]).transform((v) => v === "on");

/** Each user chooses whether the Monday digest reaches them by email. */
export const digestPreferenceAction = action({ roles: ["admin", "manager", "viewer"] }, z.object({ digest: onOff }), async ({ digest }, viewer) => {
  await setDigestEmail(viewer, digest);
  revalidatePath("/me/notifications");
  return undefined;
});

/** Ranking individuals is off unless an admin turns it on (org-wide). */
export const rankIndividualsAction = action({ roles: ["admin"] }, z.object({ rank: onOff }), async ({ rank }, viewer) => {
  await setRankIndividuals(viewer, rank);
  revalidatePath("/me");
  revalidatePath("/me/notifications");
  return undefined;
});
