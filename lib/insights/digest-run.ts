import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { dayOf, dayStart, mondayOf } from "@/lib/time/calendar";
import { lastCompleteWeek } from "@/lib/time/period";
import { exportCron, scheduleOff, SCHEDULED_GRAINS } from "@/lib/export/cron";
import { loadViewer } from "@/lib/auth/viewer";
import { log } from "@/lib/log";
import { buildDigest } from "@/lib/insights/digest";
import { renderDigest } from "@/lib/insights/render-digest";

// Sending the Monday digest, once per week (issue 15). It is due once this week's weekly
// export (WAKEBOARD_EXPORT_CRON, default Monday 06:00 in WAKEBOARD_TZ) has written last
// week's files — or an hour after its scheduled time if the export is off or failing, so a
// broken export folder does not hold the digest back for good. The week is claimed in
// digest_runs; each message is a delivery with a unique key (week × recipient), sent and
// retried by the insights job like alerts.

const GRACE_MS = 3_600_000;

/** The week whose digest is due now and not yet sent, or null. */
export async function digestDue(now = new Date()): Promise<string | null> {
  const c = config();
  if (c.WAKEBOARD_DIGEST === "off") return null;
  const week = lastCompleteWeek({ tz: c.WAKEBOARD_TZ, now });
  const thisMonday = dayStart(mondayOf(dayOf(now, c.WAKEBOARD_TZ)), c.WAKEBOARD_TZ);
  // The export's scheduled time this week (the cron's default when the export is off).
  const scheduled = exportCron(now).prev().toDate();
  if (scheduled < thisMonday) return null;
  const prisma = await db();
  if (await prisma.digestRun.findUnique({ where: { week } })) return null;
  if (now.getTime() - scheduled.getTime() >= GRACE_MS || scheduleOff()) return week;
  const written = await prisma.exportRun.count({ where: { week, grain: { in: SCHEDULED_GRAINS }, finishedAt: { not: null } } });
  return written === SCHEDULED_GRAINS.length ? week : null;
}

export interface DigestRunResult {
  week: string;
  claimed: boolean;
  emails: number;
  webhooks: number;
}

/**
 * Builds and queues the digest of `week` for every manager (their teams) and admin (the
 * org) who wants it by email, and for every webhook that takes the digest. Only the caller
 * that claims the week does the work.
 */
export async function queueDigest(week: string, now = new Date()): Promise<DigestRunResult> {
  const prisma = await db();
  const claim = await prisma.digestRun.createMany({ data: [{ week, startedAt: now }], skipDuplicates: true });
  if (claim.count === 0) return { week, claimed: false, emails: 0, webhooks: 0 };
  try {
    const users = await prisma.user.findMany({ where: { disabledAt: null, role: { in: ["admin", "manager"] } }, orderBy: { id: "asc" } });
    const prefs = new Map((await prisma.userPreference.findMany({ where: { userId: { in: users.map((u) => u.id) } } })).map((p) => [p.userId, p.digestEmail]));
    let orgDigest: Awaited<ReturnType<typeof buildDigest>> | null = null;
    const org = async () => (orgDigest ??= await buildDigest({ week, teamIds: null, now }));
    const rows: Prisma.DeliveryCreateManyInput[] = [];
    for (const u of users) {
      if (prefs.get(u.id) === false) continue;
      const viewer = await loadViewer(u.id);
      if (!viewer) continue;
      if (viewer.role === "manager" && viewer.managedTeamIds.length === 0) continue;
      const digest = viewer.role === "admin" ? await org() : await buildDigest({ week, teamIds: viewer.managedTeamIds, now });
      const msg = renderDigest(digest, u.name || u.email);
      rows.push({ key: `digest:${week}:email:${u.id}`, kind: "digest", channel: "email", target: u.email, userId: u.id, subject: msg.subject, text: msg.text, html: msg.html, nextAttemptAt: now });
    }
    const hooks = await prisma.webhook.findMany({ where: { disabledAt: null, digest: true } });
    for (const h of hooks) {
      const msg = renderDigest(await org(), "the org");
      rows.push({ key: `digest:${week}:webhook:${h.id}`, kind: "digest", channel: "webhook", target: h.url, webhookId: h.id, subject: msg.subject, text: msg.text, body: msg.body as unknown as Prisma.InputJsonValue, nextAttemptAt: now });
    }
    if (rows.length) await prisma.delivery.createMany({ data: rows, skipDuplicates: true });
    await prisma.digestRun.update({ where: { week }, data: { finishedAt: new Date(), recipients: rows.length } });
    log.info({ week, recipients: rows.length }, "weekly digest queued");
    return { week, claimed: true, emails: rows.filter((r) => r.channel === "email").length, webhooks: rows.filter((r) => r.channel === "webhook").length };
  } catch (e) {
    // Give the week back, so the next cycle tries again.
    await prisma.digestRun.deleteMany({ where: { week, finishedAt: null } }).catch(() => {});
    throw e;
  }
}
