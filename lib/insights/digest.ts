import { config } from "@/lib/config";
import { resolvePeriod } from "@/lib/time/period";
import { getLeaderboard, type LeaderboardRow } from "@/lib/queries/get-leaderboard";
import { getKpis } from "@/lib/queries/get-kpis";
import { getTeamSources } from "@/lib/queries/get-team-sources";
import { loadOrg } from "@/lib/queries/org";
import { goalsWithProgress } from "@/lib/insights/goals";
import type { GoalProgress } from "@/lib/insights/goal-progress";
import { toolSilent } from "@/lib/insights/rules";

// The Monday digest (issue 15): for a manager, their teams; for an admin (and for chat
// webhooks), the whole org. Every figure is read through the dashboard's queries for the
// ISO week — the leaderboard (tokens, rank, rank change, adoption), getKpis for the org's
// adoption, goals' progress, team sources — so the digest says what the leaderboard says.

export interface DigestTeam {
  slug: string;
  name: string;
  rank: number | null;
  rankChange: number | null;
  tokens: number;
  previousTokens: number;
  growthPct: number | null;
  activeUsers: number;
  adoptionPct: number | null;
  previousAdoptionPct: number | null;
}

export interface DigestMover {
  slug: string;
  name: string;
  rank: number | null;
  rankChange: number;
}

export interface SilentTool {
  tool: string;
  name: string;
  team: string | null;
  lastEventAt: string;
}

export interface Digest {
  week: string;
  from: string;
  to: string;
  scope: "org" | "teams";
  teamsTotal: number;
  teams: DigestTeam[];
  movers: { up: DigestMover[]; down: DigestMover[] };
  adoption: { name: string; pct: number | null; previousPct: number | null; activeUsers: number | null; headcount: number }[];
  goals: (GoalProgress & { team: string })[];
  silentTools: SilentTool[];
}

/** Silent for more than a day: "a tool whose data stopped" in the digest. */
const SILENT_HOURS = 24;

const teamOf = (r: LeaderboardRow): DigestTeam => ({
  slug: r.slug,
  name: r.name,
  rank: r.rank,
  rankChange: r.rankChange,
  tokens: r.tokens,
  previousTokens: r.previous.tokens,
  growthPct: r.growthPct,
  activeUsers: r.activeUsers,
  adoptionPct: r.adoptionPct,
  previousAdoptionPct: r.previous.adoptionPct,
});

/**
 * Builds the digest of `week` for a set of teams (a manager's, sub-teams included), or for
 * the whole org when `teamIds` is null. `now` decides goals' month and which tools count as
 * silent (the digest is sent on Monday: goals are this month's, as on the dashboard).
 */
export async function buildDigest(opts: { week: string; teamIds: number[] | null; now?: Date }): Promise<Digest> {
  const tz = config().WAKEBOARD_TZ;
  const now = opts.now ?? new Date();
  const period = resolvePeriod(opts.week, { tz, now });
  const [org, board] = await Promise.all([loadOrg(), getLeaderboard({ period, metric: "tokens", view: "teams", sparkline: false })]);
  const mine = opts.teamIds === null ? null : new Set(opts.teamIds);
  const rows = board.rows.filter((r) => mine === null || mine.has(r.teamId));
  const moved = board.rows.filter((r) => r.rankChange !== null && r.rankChange !== 0);
  const mover = (r: LeaderboardRow): DigestMover => ({ slug: r.slug, name: r.name, rank: r.rank, rankChange: r.rankChange! });
  const up = [...moved].filter((r) => r.rankChange! > 0).sort((a, b) => b.rankChange! - a.rankChange! || a.slug.localeCompare(b.slug)).slice(0, 3).map(mover);
  const down = [...moved].filter((r) => r.rankChange! < 0).sort((a, b) => a.rankChange! - b.rankChange! || a.slug.localeCompare(b.slug)).slice(0, 3).map(mover);

  // Adoption of the whole scope: the org (getKpis without a unit), or each of the manager's top teams.
  const roots = mine === null ? [] : [...mine].filter((id) => !mine.has(org.byId.get(id)?.parentId ?? -1));
  const scopes = mine === null ? [{ name: "The org", slug: null }] : roots.map((id) => ({ name: org.byId.get(id)!.name, slug: org.byId.get(id)!.slug }));
  const adoption = await Promise.all(
    scopes.map(async (sc) => {
      const k = await getKpis({ period, unit: sc.slug });
      return { name: sc.name, pct: k.adoptionPct.value, previousPct: k.adoptionPct.previous, activeUsers: k.activeUsers.value, headcount: k.headcount };
    }),
  );

  const goals = (await goalsWithProgress(mine === null ? undefined : [...mine], now)).map((g) => ({ ...g, team: org.byId.get(g.teamId)?.name ?? String(g.teamId) }));

  const sourceTeams = mine === null ? org.teams.filter((t) => t.depth === 0) : roots.map((id) => org.byId.get(id)!);
  const silentTools: SilentTool[] = [];
  for (const t of sourceTeams) {
    const sources = await getTeamSources({ team: t.slug, now });
    for (const s of sources.tools) {
      if (s.lastEventAt && toolSilent(new Date(s.lastEventAt), now, SILENT_HOURS)) silentTools.push({ tool: s.tool, name: s.name, team: mine === null ? null : t.name, lastEventAt: s.lastEventAt });
    }
  }
  // Org-wide, a tool is silent only if no root reported it recently.
  const silent = mine === null ? dedupeOrgSilent(silentTools, await orgLastEvents(sourceTeams.map((t) => t.slug), now)) : silentTools;

  return {
    week: opts.week,
    from: period.from,
    to: period.to,
    scope: mine === null ? "org" : "teams",
    teamsTotal: board.rows.length,
    teams: (mine === null ? rows.slice(0, 10) : rows).map(teamOf),
    movers: { up, down },
    adoption,
    goals,
    silentTools: silent,
  };
}

async function orgLastEvents(roots: string[], now: Date): Promise<Map<string, string>> {
  const last = new Map<string, string>();
  for (const slug of roots) {
    for (const s of (await getTeamSources({ team: slug, now })).tools) {
      if (s.lastEventAt && (!last.has(s.tool) || last.get(s.tool)! < s.lastEventAt)) last.set(s.tool, s.lastEventAt);
    }
  }
  return last;
}

function dedupeOrgSilent(candidates: SilentTool[], last: Map<string, string>): SilentTool[] {
  const seen = new Set<string>();
  return candidates.filter((c) => {
    if (seen.has(c.tool) || last.get(c.tool) !== c.lastEventAt) return false;
    seen.add(c.tool);
    return true;
  });
}
