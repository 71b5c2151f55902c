import { z } from "zod";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db/client";
import { audit } from "@/lib/admin/audit";
import { AdminError } from "@/lib/admin/errors";
import type { Viewer } from "@/lib/auth/viewer";
import { loadOrg } from "@/lib/queries/org";
import { canManageTeam } from "@/lib/insights/goals";
import { RULE_INFO, type RuleInput, type RuleKind } from "@/lib/insights/rules";

// Alert rules, who receives them, webhooks, and the history (issue 15). Rules on a team are
// created by admins and the team's managers; org-wide rules by admins. Anyone signed in may
// subscribe to any rule by email: alerts carry team-level figures only, which every role
// already sees. Webhooks hold a signing secret and are an admin's.

export async function createRule(input: RuleInput & { subscribe?: boolean }, viewer: Viewer) {
  const org = await loadOrg();
  let teamId: number | null = null;
  if (input.team) {
    const team = org.bySlug.get(input.team);
    if (!team) throw new AdminError(`No team "${input.team}"`, "team");
    if (!canManageTeam(viewer, team.id)) throw new AdminError(`Only admins and managers of ${team.name} add its alerts`, "team");
    teamId = team.id;
  } else if (viewer.role !== "admin") throw new AdminError("Only admins add org-wide alerts: pick one of your teams", "team");
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const rule = await tx.alertRule.create({ data: { teamId, kind: input.kind, threshold: input.threshold, createdBy: viewer.email } });
    if (input.subscribe) await tx.alertSubscription.create({ data: { ruleId: rule.id, userId: viewer.id } });
    await audit(tx, viewer.email, "alert_rule.create", { type: "alert_rule", id: rule.id }, { team: input.team, kind: input.kind, threshold: input.threshold });
    return rule;
  });
}

export async function removeRule(id: number, viewer: Viewer): Promise<void> {
  const prisma = await db();
  const rule = await prisma.alertRule.findUnique({ where: { id } });
  if (!rule || rule.disabledAt) throw new AdminError("That alert rule no longer exists");
  const allowed = rule.teamId === null ? viewer.role === "admin" : canManageTeam(viewer, rule.teamId);
  if (!allowed) throw new AdminError("Only admins and the team's managers remove its alerts");
  // Disabled, not deleted: its history stays on the alerts page.
  await prisma.$transaction(async (tx) => {
    await tx.alertRule.update({ where: { id }, data: { disabledAt: new Date() } });
    await audit(tx, viewer.email, "alert_rule.remove", { type: "alert_rule", id });
  });
}

/** The signed-in user's own email subscription to a rule, on or off. */
export async function setSubscription(ruleId: number, on: boolean, viewer: Viewer): Promise<void> {
  const prisma = await db();
  const rule = await prisma.alertRule.findUnique({ where: { id: ruleId } });
  if (!rule || rule.disabledAt) throw new AdminError("That alert rule no longer exists");
  if (on) await prisma.alertSubscription.upsert({ where: { ruleId_userId: { ruleId, userId: viewer.id } }, create: { ruleId, userId: viewer.id }, update: {} });
  else await prisma.alertSubscription.deleteMany({ where: { ruleId, userId: viewer.id } });
}

export const webhookInput = z.object({
  name: z.string().trim().min(1, "a name").max(100),
  url: z
    .url("an http(s) URL")
    .refine((u) => /^https?:\/\//.test(u), "an http(s) URL"),
  digest: z
    .enum(["on", "1", "true"])
    .optional()
    .transform((v) => v !== undefined),
});

export async function createWebhook(input: z.infer<typeof webhookInput>, viewer: Viewer) {
  const prisma = await db();
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  return prisma.$transaction(async (tx) => {
    const hook = await tx.webhook.create({ data: { name: input.name, url: input.url, digest: input.digest, secret, createdBy: viewer.email } });
    await audit(tx, viewer.email, "webhook.create", { type: "webhook", id: hook.id }, { name: input.name, url: input.url });
    return hook;
  });
}

export async function removeWebhook(id: number, viewer: Viewer): Promise<void> {
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const r = await tx.webhook.updateMany({ where: { id, disabledAt: null }, data: { disabledAt: new Date() } });
    if (r.count === 0) throw new AdminError("That webhook no longer exists");
    await audit(tx, viewer.email, "webhook.remove", { type: "webhook", id });
  });
}

export async function setWebhookSubscription(ruleId: number, webhookId: number, on: boolean): Promise<void> {
  const prisma = await db();
  if (on) await prisma.alertSubscription.upsert({ where: { ruleId_webhookId: { ruleId, webhookId } }, create: { ruleId, webhookId }, update: {} });
  else await prisma.alertSubscription.deleteMany({ where: { ruleId, webhookId } });
}

export interface RuleView {
  id: number;
  kind: RuleKind;
  label: string;
  threshold: number | null;
  thresholdText: string | null;
  team: { slug: string; name: string } | null;
  createdBy: string;
  subscribed: boolean;
  canManage: boolean;
  webhookIds: number[];
  lastFiredAt: string | null;
  fired: number;
}

export async function listRules(viewer: Viewer): Promise<RuleView[]> {
  const prisma = await db();
  const [rules, org, stats] = await Promise.all([
    prisma.alertRule.findMany({ where: { disabledAt: null }, include: { subscriptions: true }, orderBy: { id: "asc" } }),
    loadOrg(),
    prisma.alertEvent.groupBy({ by: ["ruleId"], _count: { _all: true }, _max: { firedAt: true } }),
  ]);
  const byRule = new Map(stats.map((s) => [s.ruleId, s]));
  return rules.map((r) => {
    const team = r.teamId === null ? null : org.byId.get(r.teamId);
    const info = RULE_INFO[r.kind as RuleKind];
    return {
      id: r.id,
      kind: r.kind as RuleKind,
      label: info?.label ?? r.kind,
      threshold: r.threshold,
      thresholdText: info?.threshold && r.threshold !== null ? `${info.threshold.label} ${r.threshold} ${info.threshold.unit}` : null,
      team: team ? { slug: team.slug, name: team.name } : null,
      createdBy: r.createdBy,
      subscribed: r.subscriptions.some((s) => s.userId === viewer.id),
      canManage: r.teamId === null ? viewer.role === "admin" : canManageTeam(viewer, r.teamId),
      webhookIds: r.subscriptions.flatMap((s) => (s.webhookId === null ? [] : [s.webhookId])),
      lastFiredAt: byRule.get(r.id)?._max.firedAt?.toISOString() ?? null,
      fired: byRule.get(r.id)?._count._all ?? 0,
    };
  });
}

export interface AlertView {
  id: string;
  kind: string;
  title: string;
  message: string;
  link: string;
  firedAt: string;
  team: { slug: string; name: string } | null;
  deliveries: { channel: string; status: string; attempts: number }[];
}

/** The alert history, newest first (team-level content only; every role may read it). */
export async function listAlerts(opts: { limit?: number; team?: string | null } = {}): Promise<AlertView[]> {
  const prisma = await db();
  const org = await loadOrg();
  const scope = opts.team ? org.bySlug.get(opts.team) : undefined;
  const rows = await prisma.alertEvent.findMany({
    where: scope ? { teamId: { in: org.subtree(scope.id) } } : undefined,
    orderBy: { firedAt: "desc" },
    take: opts.limit ?? 100,
  });
  const deliveries = rows.length ? await prisma.delivery.findMany({ where: { alertId: { in: rows.map((r) => r.id) } }, select: { alertId: true, channel: true, status: true, attempts: true } }) : [];
  return rows.map((r) => {
    const team = r.teamId === null ? null : org.byId.get(r.teamId);
    return {
      id: String(r.id),
      kind: r.kind,
      title: r.title,
      message: r.message,
      link: r.link,
      firedAt: r.firedAt.toISOString(),
      team: team ? { slug: team.slug, name: team.name } : null,
      deliveries: deliveries.filter((d) => d.alertId === r.id).map((d) => ({ channel: d.channel, status: d.status, attempts: d.attempts })),
    };
  });
}

export interface DeliveryView {
  id: string;
  kind: string;
  channel: string;
  target: string;
  subject: string;
  status: string;
  attempts: number;
  lastError: string | null;
  lastStatus: number | null;
  nextAttemptAt: string;
  sentAt: string | null;
  createdAt: string;
}

/** The delivery log: an admin sees every delivery; anyone else their own emails. */
export async function listDeliveries(viewer: Viewer, limit = 100): Promise<DeliveryView[]> {
  const prisma = await db();
  const rows = await prisma.delivery.findMany({ where: viewer.role === "admin" ? undefined : { userId: viewer.id }, orderBy: { id: "desc" }, take: limit });
  return rows.map((d) => ({
    id: String(d.id),
    kind: d.kind,
    channel: d.channel,
    target: d.channel === "webhook" ? d.target.replace(/^(https?:\/\/[^/]+).*$/, "$1/…") : d.target,
    subject: d.subject,
    status: d.status,
    attempts: d.attempts,
    lastError: d.lastError,
    lastStatus: d.lastStatus,
    nextAttemptAt: d.nextAttemptAt.toISOString(),
    sentAt: d.sentAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  }));
}
