"use server";

import { z } from "zod";
import { action } from "@/lib/auth/action";
import { config } from "@/lib/config";
import { dayStart, isIsoDate } from "@/lib/time/calendar";
import { applyRoster, MAX_ROSTER_BYTES, previewRoster } from "@/lib/admin/roster";

const csv = z.string().min(1, "choose or paste a CSV file").max(MAX_ROSTER_BYTES, "the file is larger than 2 MiB");

// Preview writes nothing; it is still admin-only, since it reveals who is in which team.
export const previewRosterAction = action(
  { roles: ["admin"] },
  z.object({ csv, effective: z.string().refine(isIsoDate, "a date as YYYY-MM-DD") }),
  async ({ csv, effective }) => previewRoster(csv, { effective: dayStart(effective, config().WAKEBOARD_TZ) }),
);

export const applyRosterAction = action(
  { roles: ["admin"] },
  z.object({ csv, effective: z.string().refine(isIsoDate, "a date as YYYY-MM-DD") }),
  async ({ csv, effective }, viewer) => applyRoster(csv, { actor: viewer.email, effectiveDay: effective }),
);
