// GET /api/v1/leaderboard – the ranking of teams for a period, metric and filters (session or a `read` key).
import { ALL_ROLES, methodsNotAllowed, route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { badRequest, forbidden, notFound } from "@/lib/http/errors";
import { config } from "@/lib/config";
import { formatPeriodParam, periodLabel } from "@/lib/time/period";
import { getLeaderboard } from "@/lib/queries/get-leaderboard";
import { loadOrg } from "@/lib/queries/org";
import { NotFoundError } from "@/lib/queries/errors";
import { parseDashboardParams, resolveParams, searchParamsOf } from "@/lib/queries/params";
import { unitForKey } from "@/lib/queries/api-scope";

export const dynamic = "force-dynamic";

export const GET = route({ roles: ALL_ROLES, scope: "read", limit: "read" }, async ({ req, key }) => {
  const parsed = parseDashboardParams(searchParamsOf(req.nextUrl));
  if (!parsed.ok) throw badRequest("Invalid query parameters", parsed.errors);
  const p = resolveParams(parsed.value, { tz: config().WAKEBOARD_TZ });
  const unit = unitForKey(await loadOrg(), key?.teamId, p.unit);
  if (unit === false) throw forbidden("This API key may only read its own team");
  try {
    const board = await getLeaderboard({ period: p.period, metric: p.metric, view: p.view, unit, tools: p.tools, models: p.models });
    return json({
      period: { param: formatPeriodParam(board.period), label: periodLabel(board.period), from: board.period.from, to: board.period.to },
      previous: { from: board.previous.from, to: board.previous.to },
      metric: board.metric,
      view: board.view,
      unit: board.unit,
      filters: { tool: p.tools ?? [], model: p.models ?? [] },
      sparkline: { grain: board.sparkGrain, buckets: board.sparkBuckets },
      rows: board.rows,
    });
  } catch (e) {
    if (e instanceof NotFoundError) throw notFound(`${e.what} "${e.slug}"`);
    throw e;
  }
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
