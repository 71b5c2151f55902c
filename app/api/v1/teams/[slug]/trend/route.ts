// GET /api/v1/teams/{slug}/trend – a team's figures per day or ISO week (session or a `read` key).
import { ALL_ROLES, methodsNotAllowed, route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { badRequest, forbidden, notFound } from "@/lib/http/errors";
import { config } from "@/lib/config";
import { formatPeriodParam, periodLabel } from "@/lib/time/period";
import { getTeamTrend } from "@/lib/queries/get-team-trend";
import { loadOrg } from "@/lib/queries/org";
import { NotFoundError } from "@/lib/queries/errors";
import { parseDashboardParams, resolveParams, searchParamsOf } from "@/lib/queries/params";
import { unitForKey } from "@/lib/queries/api-scope";

export const dynamic = "force-dynamic";

export const GET = route<{ slug: string }>({ roles: ALL_ROLES, scope: "read", limit: "read" }, async ({ req, params, key }) => {
  const parsed = parseDashboardParams(searchParamsOf(req.nextUrl));
  if (!parsed.ok) throw badRequest("Invalid query parameters", parsed.errors);
  const p = resolveParams(parsed.value, { tz: config().WAKEBOARD_TZ });
  const slug = params.slug.toLowerCase();
  if (key?.teamId && unitForKey(await loadOrg(), key.teamId, slug) === false) throw forbidden("This API key may only read its own team");
  try {
    const trend = await getTeamTrend({ team: slug, period: p.period, grain: p.grain, tools: p.tools, models: p.models });
    return json({
      team: trend.team,
      period: { param: formatPeriodParam(trend.period), label: periodLabel(trend.period), from: trend.period.from, to: trend.period.to },
      grain: trend.grain,
      filters: { tool: p.tools ?? [], model: p.models ?? [] },
      points: trend.points,
    });
  } catch (e) {
    if (e instanceof NotFoundError) throw notFound(`team "${e.slug}"`);
    throw e;
  }
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
