// POST /api/v1/admin/roster – roster import for scripts run by a signed-in admin (text/csv body;
// ?dry_run=1 previews, ?effective=YYYY-MM-DD dates the moves). Same rules as Admin → Roster import.
import { methodsNotAllowed, route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { ApiError, badRequest } from "@/lib/http/errors";
import { config } from "@/lib/config";
import { dayStart, isIsoDate } from "@/lib/time/calendar";
import { applyRoster, MAX_ROSTER_BYTES, previewRoster } from "@/lib/admin/roster";

export const dynamic = "force-dynamic";

export const POST = route({ roles: ["admin"] }, async ({ req, viewer }) => {
  const type = req.headers.get("content-type") ?? "";
  if (!/^text\/(csv|plain)\b/i.test(type)) throw new ApiError(415, "unsupported_media_type", "Send the roster as text/csv");
  if (Number(req.headers.get("content-length") ?? 0) > MAX_ROSTER_BYTES) throw new ApiError(413, "too_large", "The roster is larger than 2 MiB");
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_ROSTER_BYTES) throw new ApiError(413, "too_large", "The roster is larger than 2 MiB");
  const params = req.nextUrl.searchParams;
  const effective = params.get("effective") ?? undefined;
  if (effective !== undefined && !isIsoDate(effective)) throw badRequest("effective must be a date as YYYY-MM-DD");
  const dryRun = ["1", "true"].includes(params.get("dry_run") ?? "");
  const result = dryRun ? await previewRoster(text, { effective: effective ? dayStart(effective, config().WAKEBOARD_TZ) : undefined }) : await applyRoster(text, { actor: viewer!.email, effectiveDay: effective });
  if (result.fileErrors.length) throw badRequest(result.fileErrors.join(" "));
  return json({ dryRun, ...result });
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
