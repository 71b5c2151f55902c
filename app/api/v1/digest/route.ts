// GET /api/v1/digest – the signed-in manager's (or admin's) Monday digest of an ISO week, as
// it is emailed: ?week=2026-W48 (default: the last complete week), &format=html|text|json.
import { z } from "zod";
import { config } from "@/lib/config";
import { route } from "@/lib/http/route";
import { badRequest } from "@/lib/http/errors";
import { json } from "@/lib/http/respond";
import { lastCompleteWeek, periodParamError } from "@/lib/time/period";
import { buildDigest } from "@/lib/insights/digest";
import { renderDigest } from "@/lib/insights/render-digest";

const params = z.object({
  week: z
    .string()
    .regex(/^\d{4}-W\d{2}$/, "must be an ISO week such as 2026-W48")
    .refine((w) => !periodParamError(w), "is not an ISO week of that year")
    .optional(),
  format: z.enum(["html", "text", "json"]).default("html"),
});

export const GET = route({ roles: ["admin", "manager"] }, async ({ req, viewer }) => {
  const url = new URL(req.url);
  const p = params.safeParse(Object.fromEntries(url.searchParams));
  if (!p.success) throw badRequest("Invalid parameters", p.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  const week = p.data.week ?? lastCompleteWeek({ tz: config().WAKEBOARD_TZ });
  const digest = await buildDigest({ week, teamIds: viewer!.role === "admin" ? null : viewer!.managedTeamIds });
  if (p.data.format === "json") return json(digest);
  const msg = renderDigest(digest, viewer!.name || viewer!.email);
  const type = p.data.format === "html" ? "text/html; charset=utf-8" : "text/plain; charset=utf-8";
  return new Response(p.data.format === "html" ? msg.html : msg.text, { headers: { "content-type": type, "cache-control": "no-store" } });
});
