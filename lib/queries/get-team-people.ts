import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { addDaysTo, dayStart } from "@/lib/time/calendar";
import type { Period } from "@/lib/time/period";
import { aggregateUsage } from "@/lib/queries/aggregate-usage";
import { loadOrg } from "@/lib/queries/org";
import { peopleAccess, type PeopleAccess, type PeopleViewer } from "@/lib/queries/people-access";
import { teamsBelowFloor } from "@/lib/queries/privacy-floor";
import { teamScope } from "@/lib/queries/team-scope";
import { Prisma } from "@/lib/generated/prisma/client";
import { activeUsage } from "@/lib/rules/active-person";
import { memberAtEnd } from "@/lib/rules/member-at";

// Per-person figures of a team (and its sub-teams) for the period: its members on the
// period's last day, plus anyone who reported usage for it. The viewer's permission is an
// input and the privacy floor is checked here, so no caller can forget it (DESIGN.md §5, §7).

export interface TeamPerson {
  id: number;
  email: string;
  name: string;
  member: boolean;
  invocations: number;
  tokens: number;
  costUsd: number;
  activeDays: number;
  lastActiveDay: string | null;
  tools: string[];
}

export interface TeamPeople {
  access: PeopleAccess;
  /** Distinct active people in the period (the figure the floor is checked on). */
  activeUsers: number;
  minGroup: number;
  people: TeamPerson[];
  /** Sub-teams (or the team's own members) below the floor, whose people are not listed. */
  teamsBelowFloor: number;
}

interface Row {
  id: number;
  email: string;
  name: string;
  member: boolean;
  invocations: number;
  tokens: number;
  cost_usd: number;
  active_days: number;
  last_active_day: string | null;
  tools: string[] | null;
}

export async function getTeamPeople(opts: { team: string; period: Period; viewer: PeopleViewer | null }): Promise<TeamPeople> {
  const cfg = config();
  const org = await loadOrg();
  const { team, teamIds } = teamScope(org, opts.team);
  const [totals] = await aggregateUsage({ windows: [opts.period], units: teamIds.map((id) => [id, team.id] as const) });
  const activeUsers = totals?.activeUsers ?? 0;
  const access = peopleAccess(opts.viewer, team.id, activeUsers, cfg.WAKEBOARD_MIN_GROUP);
  const result: TeamPeople = { access, activeUsers, minGroup: cfg.WAKEBOARD_MIN_GROUP, people: [], teamsBelowFloor: 0 };
  if (access !== "ok") return result;
  // Through a group's page, nobody is identified by a sub-team below the floor.
  const hidden = teamIds.length > 1 ? await teamsBelowFloor(teamIds, opts.period, opts.viewer) : [];
  result.teamsBelowFloor = hidden.length;

  const end = dayStart(addDaysTo(opts.period.to, 1), cfg.WAKEBOARD_TZ);
  const prisma = await db();
  const rows = await prisma.$queryRaw<Row[]>`
    WITH usage AS (
      SELECT d.person_id,
        sum(d.invocations)::float8 AS invocations,
        sum(d.input_tokens + d.output_tokens + d.cache_read_tokens + d.cache_write_tokens)::float8 AS tokens,
        sum(d.cost_usd)::float8 AS cost_usd,
        count(DISTINCT d.day) FILTER (WHERE ${activeUsage("d")})::int AS active_days,
        (max(d.day) FILTER (WHERE ${activeUsage("d")}))::text AS last_active_day,
        array_agg(DISTINCT t.slug ORDER BY t.slug) AS tools
      FROM daily_usage d JOIN tools t ON t.id = d.tool_id
      WHERE d.team_id = ANY(${teamIds}::int[]) AND NOT d.team_id = ANY(${hidden}::int[]) AND d.person_id <> 0
        AND d.day BETWEEN ${opts.period.from}::date AND ${opts.period.to}::date
      GROUP BY d.person_id
    ),
    members AS (
      SELECT DISTINCT m.person_id FROM memberships m
      WHERE m.team_id = ANY(${teamIds}::int[]) AND NOT m.team_id = ANY(${hidden}::int[]) AND ${memberAtEnd("m", Prisma.sql`${end}`)}
    )
    SELECT p.id, p.email, p.name, (m.person_id IS NOT NULL) AS member,
      coalesce(u.invocations, 0) AS invocations, coalesce(u.tokens, 0) AS tokens, coalesce(u.cost_usd, 0) AS cost_usd,
      coalesce(u.active_days, 0) AS active_days, u.last_active_day, u.tools
    FROM people p
    LEFT JOIN usage u ON u.person_id = p.id
    LEFT JOIN members m ON m.person_id = p.id
    WHERE u.person_id IS NOT NULL OR m.person_id IS NOT NULL
    ORDER BY coalesce(u.tokens, 0) DESC, p.email`;
  result.people = rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    member: r.member,
    invocations: r.invocations,
    tokens: r.tokens,
    costUsd: r.cost_usd,
    activeDays: r.active_days,
    lastActiveDay: r.last_active_day,
    tools: r.tools ?? [],
  }));
  return result;
}

