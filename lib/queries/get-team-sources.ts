import { db } from "@/lib/db/client";
import { loadOrg } from "@/lib/queries/org";
import { teamScope } from "@/lib/queries/team-scope";
import { Prisma } from "@/lib/generated/prisma/client";
import { memberAt } from "@/lib/rules/member-at";
import { vendorOf } from "@/lib/connectors/vendors";

// "Not connected" must never look like "not using" (DESIGN.md §6): for each tool, when the
// team last reported and how many of its current people have ever reported with it.

export interface TeamSource {
  tool: string;
  name: string;
  lastEventAt: string | null;
  /** Current members who have reported with this tool at least once (any team, any time). */
  reportingMembers: number;
  /** The paths that fed this tool for the team in the last 14 days (issue 14). */
  paths: SourcePath[];
}

export interface SourcePath {
  kind: "otlp" | "api" | "import" | "connector" | "demo" | "other";
  label: string;
  /** For a connector: its lag, when it last pulled, and the first day still open to revision. */
  connector?: { name: string; finalAfterDays: number; lastSuccessAt: string | null; openFrom: string };
}

const PATH_LABELS: Record<string, [SourcePath["kind"], string]> = {
  otlp: ["otlp", "OTLP"],
  api: ["api", "Ingest API"],
  import: ["import", "Bulk import"],
  seed: ["demo", "Demo data"],
};

/** Which paths (OTLP, API, import, a vendor connector) fed each tool for these teams recently. */
async function toolPaths(teamIds: number[], now: Date): Promise<Map<string, SourcePath[]>> {
  const prisma = await db();
  const since = new Date(now.getTime() - 14 * 86_400_000);
  const rows = await prisma.$queryRaw<{ tool: string; source: string }[]>`
    SELECT DISTINCT t.slug AS tool, e.source FROM usage_events e JOIN tools t ON t.id = e.tool_id
    WHERE e.team_id = ANY(${teamIds}::int[]) AND e.occurred_at >= ${since}`;
  const connectors = await prisma.connector.findMany({ select: { name: true, vendor: true, lastSuccessAt: true, revisionDays: true }, orderBy: { name: "asc" } });
  const out = new Map<string, SourcePath[]>();
  for (const r of rows) {
    let path: SourcePath;
    if (r.source.startsWith("connector:")) {
      const vendor = vendorOf(r.source.slice("connector:".length));
      const c = connectors.find((x) => x.vendor === vendor?.slug);
      const final = vendor?.finalAfterDays ?? 0;
      const openFrom = new Date(now.getTime() - (Math.max(final, c?.revisionDays ?? 0)) * 86_400_000).toISOString().slice(0, 10);
      path = {
        kind: "connector",
        label: `${vendor?.name ?? r.source} connector`,
        connector: { name: c?.name ?? r.source, finalAfterDays: final, lastSuccessAt: c?.lastSuccessAt?.toISOString() ?? null, openFrom },
      };
    } else {
      const [kind, label] = PATH_LABELS[r.source] ?? ["other", r.source];
      path = { kind, label };
    }
    const list = out.get(r.tool) ?? [];
    if (!list.some((p) => p.label === path.label)) list.push(path);
    out.set(r.tool, list);
  }
  return out;
}

export interface TeamSources {
  members: number;
  /** Current members who have reported anything at all. */
  reportingMembers: number;
  tools: TeamSource[];
}

export async function getTeamSources(opts: { team: string; now?: Date }): Promise<TeamSources> {
  const org = await loadOrg();
  const { teamIds } = teamScope(org, opts.team);
  const now = opts.now ?? new Date();
  const prisma = await db();
  // The rollup names the last day per tool; the raw events are read only for that day or
  // two, through the (team_id, occurred_at) index.
  const tools = await prisma.$queryRaw<{ tool: string; name: string; last_event_at: Date | null; reporting: number }[]>`
    WITH members AS (
      SELECT DISTINCT m.person_id FROM memberships m
      WHERE m.team_id = ANY(${teamIds}::int[]) AND ${memberAt("m", Prisma.sql`${now}::timestamptz`)}
    ),
    team_tools AS (
      SELECT tool_id, max(day) AS last_day FROM daily_team_usage WHERE team_id = ANY(${teamIds}::int[]) GROUP BY tool_id
    ),
    -- Per member, the tools they ever reported with, read through the (person_id, day) index.
    reporting AS (
      SELECT t.tool_id, count(*)::int AS n
      FROM members m CROSS JOIN LATERAL (SELECT DISTINCT d.tool_id FROM daily_usage d WHERE d.person_id = m.person_id) t
      GROUP BY t.tool_id
    )
    SELECT t.slug AS tool, t.name,
      (SELECT max(e.occurred_at) FROM usage_events e
        WHERE e.team_id = ANY(${teamIds}::int[]) AND e.tool_id = tt.tool_id
          AND e.occurred_at >= tt.last_day - interval '2 days') AS last_event_at,
      coalesce(r.n, 0) AS reporting
    FROM team_tools tt JOIN tools t ON t.id = tt.tool_id LEFT JOIN reporting r ON r.tool_id = tt.tool_id
    UNION ALL
    SELECT t.slug, t.name, NULL, r.n FROM reporting r JOIN tools t ON t.id = r.tool_id
    WHERE r.tool_id NOT IN (SELECT tool_id FROM team_tools)
    ORDER BY 1`;
  const [counts] = await prisma.$queryRaw<{ members: number; reporting: number }[]>`
    WITH members AS (
      SELECT DISTINCT m.person_id FROM memberships m
      WHERE m.team_id = ANY(${teamIds}::int[]) AND ${memberAt("m", Prisma.sql`${now}::timestamptz`)}
    )
    SELECT count(*)::int AS members,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM daily_usage d WHERE d.person_id = m.person_id))::int AS reporting
    FROM members m`;
  const paths = await toolPaths(teamIds, now);
  return {
    members: counts.members,
    reportingMembers: counts.reporting,
    tools: tools.map((t) => ({ tool: t.tool, name: t.name, lastEventAt: t.last_event_at?.toISOString() ?? null, reportingMembers: t.reporting, paths: paths.get(t.tool) ?? [] })),
  };
}
