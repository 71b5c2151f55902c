// GET /api/v1/exports/weekly.csv – the weekly CSV export (DESIGN.md §8), streamed; a session or an `export` key.
import { Readable } from "node:stream";
import { ALL_ROLES, methodsNotAllowed, route } from "@/lib/http/route";
import { badRequest, forbidden, notFound } from "@/lib/http/errors";
import { config } from "@/lib/config";
import { loadOrg } from "@/lib/queries/org";
import { unitForKey } from "@/lib/queries/api-scope";
import { NotFoundError } from "@/lib/queries/errors";
import { describeErrors, parseExportParams } from "@/lib/export/params";
import { ExportForbiddenError, type ExportRequester } from "@/lib/export/access";
import { openWeeklyExport } from "@/lib/export/weekly-export";
import { csvStream } from "@/lib/export/csv";

export const dynamic = "force-dynamic";

export const GET = route({ roles: ALL_ROLES, scope: "export", limit: "export" }, async ({ req, viewer, key }) => {
  const parsed = parseExportParams(Object.fromEntries(req.nextUrl.searchParams), { tz: config().WAKEBOARD_TZ });
  if (!parsed.ok) throw badRequest(`Invalid query parameters: ${describeErrors(parsed.errors)}`, parsed.errors);
  const { week, grain, bom } = parsed.value;
  const requester: ExportRequester = key ? { kind: "key" } : { kind: "viewer", viewer: viewer! };
  // A key restricted to a team exports that team and its sub-teams only.
  const unit = key?.teamId ? unitForKey(await loadOrg(), key.teamId, null) : null;
  if (unit === false) throw forbidden("This API key's team no longer exists");
  try {
    const exp = await openWeeklyExport({ week, grain, requester, unit });
    return new Response(Readable.toWeb(csvStream(exp.rows, exp.columns, { bom })) as ReadableStream<Uint8Array>, {
      headers: {
        "content-type": "text/csv; charset=utf-8; header=present",
        "content-disposition": `attachment; filename="${exp.fileName}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (e) {
    if (e instanceof ExportForbiddenError) throw forbidden(e.message);
    if (e instanceof NotFoundError) throw notFound(`${e.what} "${e.slug}"`);
    throw e;
  }
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
