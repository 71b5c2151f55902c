import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { lastCompleteWeek, resolvePeriod } from "@/lib/time/period";
import { loadOrg, type Org } from "@/lib/queries/org";
import { getKpis } from "@/lib/queries/get-kpis";
import { getTeamSources } from "@/lib/queries/get-team-sources";
import { METRIC_INFO, type Metric } from "@/lib/queries/metrics";
import { formatMetric, formatPct } from "@/lib/charts/format";
import { goalsWithProgress } from "@/lib/insights/goals";
import { goalLabel, STATE_LABEL } from "@/lib/insights/goal-state";
import type { GoalProgress } from "@/lib/insights/goal-progress";
import { adoptionDropped, ceilingLevelsReached, crossingKey, toolSilent, type RuleKind } from "@/lib/insights/rules";
import { renderAlert, type AlertContent } from "@/lib/insights/messages";

// Evaluates every enabled alert rule once (issue 15) and records each new crossing. Run by
// one leader-elected job after each aggregation cycle (lib/insights/job.ts); even so, the
// crossing's unique key is what guarantees "once": a second instance, or the same instance a
// minute later, inserts nothing and so delivers nothing.

export interface Crossing extends AlertContent {
  key: string;
  ruleId: number;
  teamId: number | null;
  kind: RuleKind;
  details: Prisma.InputJsonValue;
}

interface RuleRow {
  id: number;
  teamId: number | null;
  kind: string;
  threshold: number | null;
}

const fmt = (metric: string, v: number | null) => formatMetric(v, METRIC_INFO[metric as Metric]?.unit ?? "count");

/** The crossings that hold now (new or not). */
export async function findCrossings(rules: RuleRow[], now: Date): Promise<Crossing[]> {
  if (rules.length === 0) return [];
  const org = await loadOrg();
  const scopeOf = (r: RuleRow) => (r.teamId === null ? null : org.subtree(r.teamId));
  const out: Crossing[] = [];

  const goalRules = rules.filter((r) => r.kind === "goal_at_risk" || r.kind === "ceiling");
  const goals = goalRules.length ? await goalsWithProgress(undefined, now) : [];
  for (const r of goalRules) {
    const scope = scopeOf(r);
    for (const g of goals.filter((g) => scope === null || scope.includes(g.teamId))) out.push(...goalCrossings(r, g, org));
  }

  for (const r of rules.filter((r) => r.kind === "adoption_drop")) {
    const team = r.teamId === null ? null : org.byId.get(r.teamId);
    if (r.teamId !== null && !team) continue;
    const week = lastCompleteWeek({ tz: config().WAKEBOARD_TZ, now });
    const k = await getKpis({ period: resolvePeriod(week, { tz: config().WAKEBOARD_TZ, now }), unit: team?.slug ?? null });
    const points = r.threshold ?? 5;
    if (!adoptionDropped(k.adoptionPct.previous, k.adoptionPct.value, points)) continue;
    const name = team?.name ?? "The org";
    out.push({
      key: crossingKey.adoptionDrop(r.id, week),
      ruleId: r.id,
      teamId: r.teamId,
      kind: "adoption_drop",
      title: `${name}: adoption fell from ${formatPct(k.adoptionPct.previous)} to ${formatPct(k.adoptionPct.value)} in ${week}`,
      message: `Adoption (active users ÷ headcount) fell by more than ${points} points from the week before to ${week}.`,
      link: team ? `/teams/${team.slug}?period=${week}` : `/?period=${week}`,
      details: { week, previous: k.adoptionPct.previous, current: k.adoptionPct.value, points },
    });
  }

  for (const r of rules.filter((r) => r.kind === "tool_silent")) {
    const team = r.teamId === null ? null : org.byId.get(r.teamId);
    if (r.teamId !== null && !team) continue;
    const roots = team ? [team] : org.teams.filter((t) => t.depth === 0);
    const last = new Map<string, { name: string; at: Date }>();
    for (const root of roots) {
      const sources = await getTeamSources({ team: root.slug, now });
      for (const s of sources.tools) {
        if (!s.lastEventAt) continue;
        const at = new Date(s.lastEventAt);
        const prev = last.get(s.tool);
        if (!prev || prev.at < at) last.set(s.tool, { name: s.name, at });
      }
    }
    const hours = r.threshold ?? 24;
    for (const [tool, { name, at }] of last) {
      if (!toolSilent(at, now, hours)) continue;
      const where = team?.name ?? "the org";
      out.push({
        key: crossingKey.toolSilent(r.id, tool, at),
        ruleId: r.id,
        teamId: r.teamId,
        kind: "tool_silent",
        title: `${name} stopped reporting for ${where}`,
        message: `No ${name} events for ${where} since ${at.toISOString().replace("T", " ").slice(0, 16)} UTC (more than ${hours} h). Check the tool's telemetry settings or API key before reading this as "not using".`,
        link: team ? `/teams/${team.slug}` : "/",
        details: { tool, lastEventAt: at.toISOString(), hours },
      });
    }
  }
  return out;
}

function goalCrossings(r: RuleRow, g: GoalProgress, org: Org): Crossing[] {
  const team = org.byId.get(g.teamId);
  if (!team || g.actual === null || g.forecast === null) return [];
  const label = goalLabel(g);
  const base = { ruleId: r.id, teamId: g.teamId, link: `/teams/${team.slug}#goals` };
  const details = { goalId: g.id, month: g.month, metric: g.metric, goalKind: g.kind, value: g.value, actual: g.actual, forecast: g.forecast, state: g.state };
  if (r.kind === "goal_at_risk") {
    if (g.state !== "at_risk") return [];
    const verb = g.kind === "ceiling" ? "is forecast to exceed" : "is forecast to fall short of";
    return [{
      ...base,
      key: crossingKey.goalAtRisk(r.id, g.id, g.month),
      kind: "goal_at_risk",
      title: `${team.name}: ${label.toLowerCase()} at risk for ${g.month}`,
      message: `${team.name} ${verb} its ${label.toLowerCase()} of ${fmt(g.metric, g.value)} for ${g.month}: ${fmt(g.metric, g.actual)} so far, forecast ${fmt(g.metric, g.forecast)} by the month's end (${STATE_LABEL.at_risk.toLowerCase()}).`,
      details,
    }];
  }
  if (g.kind !== "ceiling") return [];
  return ceilingLevelsReached(g.actual, g.value).map((level) => ({
    ...base,
    key: crossingKey.ceiling(r.id, g.id, g.month, level),
    kind: "ceiling" as const,
    title: `${team.name}: ${level} % of the ${fmt(g.metric, g.value)} cost ceiling reached in ${g.month}`,
    message: `${team.name} has spent ${fmt(g.metric, g.actual)} of its ${fmt(g.metric, g.value)} monthly ceiling (${g.progressPct}%) in ${g.month}; forecast ${fmt(g.metric, g.forecast)} by the month's end.`,
    details: { ...details, level },
  }));
}

export interface EvaluateResult {
  rules: number;
  holding: number;
  fired: { id: string; key: string; title: string }[];
}

/** Evaluates every enabled rule and records new crossings with their deliveries. */
export async function evaluateRules(now = new Date()): Promise<EvaluateResult> {
  const prisma = await db();
  const rules = await prisma.alertRule.findMany({ where: { disabledAt: null }, orderBy: { id: "asc" } });
  const crossings = await findCrossings(rules, now);
  const fired: EvaluateResult["fired"] = [];
  for (const c of crossings) {
    const id = await recordCrossing(c, now);
    if (id !== null) fired.push({ id: String(id), key: c.key, title: c.title });
  }
  return { rules: rules.length, holding: crossings.length, fired };
}

/**
 * Inserts the crossing unless its key exists, and in the same transaction one delivery per
 * subscriber. Returns the new alert's id, or null when it had fired before.
 */
export async function recordCrossing(c: Crossing, now = new Date()): Promise<bigint | null> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ id: bigint }[]>`
      INSERT INTO alert_events (key, rule_id, team_id, kind, title, message, link, details, fired_at)
      VALUES (${c.key}, ${c.ruleId}, ${c.teamId}, ${c.kind}, ${c.title}, ${c.message}, ${c.link}, ${JSON.stringify(c.details)}::jsonb, ${now})
      ON CONFLICT (key) DO NOTHING
      RETURNING id`;
    if (!row) return null;
    const subs = await tx.alertSubscription.findMany({ where: { ruleId: c.ruleId }, include: { webhook: true } });
    const userIds = subs.flatMap((s) => (s.userId === null ? [] : [s.userId]));
    const users = userIds.length ? await tx.user.findMany({ where: { id: { in: userIds }, disabledAt: null } }) : [];
    const msg = renderAlert(c);
    const common = { kind: "alert", alertId: row.id, subject: msg.subject, text: msg.text, nextAttemptAt: now };
    const data = [
      ...users.map((u) => ({ ...common, key: `alert:${row.id}:email:${u.id}`, channel: "email", target: u.email, userId: u.id, html: msg.html })),
      ...subs.flatMap((s) =>
        s.webhook && !s.webhook.disabledAt
          ? [{ ...common, key: `alert:${row.id}:webhook:${s.webhook.id}`, channel: "webhook", target: s.webhook.url, webhookId: s.webhook.id, body: msg.body as unknown as Prisma.InputJsonValue }]
          : [],
      ),
    ];
    if (data.length) await tx.delivery.createMany({ data, skipDuplicates: true });
    return row.id;
  });
}
