import { z } from "zod";
import { isoWeekStart } from "@/lib/time/calendar";
import { lastCompleteWeek } from "@/lib/time/period";
import { exportGrainParam, type ExportGrain } from "@/lib/export/columns";

// The export's parameters, read the same way by the API, the page and the CLI:
// `week` (ISO week in WAKEBOARD_TZ, default the last complete one), `grain` (default team),
// `bom` (1 adds a UTF-8 byte order mark, for Excel).

export const weekParam = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^\d{4}-W\d{2}$/, 'must be an ISO week such as "2026-W48"')
  .refine((w) => isoWeekStart(w) !== null, { error: (i) => `${String(i.input)} does not exist: that year has no such ISO week` });

const flag = z
  .enum(["0", "1", "true", "false", "yes", "no", ""])
  .transform((v) => v === "1" || v === "true" || v === "yes");

export const exportParamsSchema = z.object({
  week: weekParam.optional(),
  grain: exportGrainParam.optional(),
  bom: flag.optional(),
});

export interface ExportParams {
  week: string;
  grain: ExportGrain;
  bom: boolean;
}

export type ParamErrors = { path: string; message: string }[];

/** Strict: each invalid parameter is an error (for a 400 or a CLI usage error). */
export function parseExportParams(
  raw: Record<string, string | undefined>,
  opts: { tz: string; now?: Date },
): { ok: true; value: ExportParams } | { ok: false; errors: ParamErrors } {
  const present = Object.fromEntries(Object.entries(raw).filter(([k, v]) => k in exportParamsSchema.shape && v !== undefined));
  const r = exportParamsSchema.safeParse(present);
  if (!r.success) return { ok: false, errors: r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) };
  return {
    ok: true,
    value: { week: r.data.week ?? lastCompleteWeek(opts), grain: r.data.grain ?? "team", bom: r.data.bom ?? false },
  };
}

/** One line naming every invalid parameter: `week 2026-W54 does not exist: …; grain must be …`. */
export function describeErrors(errors: ParamErrors): string {
  return errors.map((e) => `${e.path} ${e.message}`).join("; ");
}
