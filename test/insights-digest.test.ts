import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { buildDataset, referenceFigures, type Dataset } from "@/test/helpers/queries-dataset";
import { decodeQuotedPrintable, headerOf, startSmtp, type TestSmtp } from "@/test/helpers/smtp";
import { db } from "@/lib/db/client";
import { resetConfig } from "@/lib/config";
import { loadViewer } from "@/lib/auth/viewer";
import { resolvePeriod } from "@/lib/time/period";
import { getLeaderboard } from "@/lib/queries/get-leaderboard";
import { formatCompact } from "@/lib/charts/format";
import { buildDigest } from "@/lib/insights/digest";
import { digestDue, queueDigest } from "@/lib/insights/digest-run";
import { deliverDue } from "@/lib/insights/deliver";

// The Monday digest: its figures are the leaderboard's for the same ISO week and equal sums
// taken straight from usage_events; it is due after the weekly export, queued once per week
// and recipient, and arrives by email (a real SMTP server) in text and HTML.

const TZ = "America/New_York";
const WEEK = "2026-W48"; // 23–29 Nov 2026 in New York
const MONDAY_7AM = new Date("2026-11-30T12:00:00Z"); // 07:00 in New York, after the 06:00 export

let database: TestDatabase;
let ds: Dataset;
let smtp: TestSmtp;
let managerId = 0;

beforeAll(async () => {
  smtp = await startSmtp();
  process.env.WAKEBOARD_TZ = TZ;
  process.env.WAKEBOARD_SMTP_URL = smtp.url;
  database = await createTestDatabase();
  ds = await buildDataset();
  const prisma = await db();
  managerId = (await prisma.user.create({ data: { email: "eng-lead@example.com", name: "Eng Lead", role: "manager", managedTeams: { create: { teamId: ds.teams.eng } } } })).id;
  await prisma.user.create({ data: { email: "boss@example.com", name: "Boss", role: "admin" } });
  await prisma.user.create({ data: { email: "reader@example.com", name: "Reader", role: "viewer" } });
  await prisma.user.create({ data: { email: "nobody@example.com", name: "No teams", role: "manager" } });
});
afterAll(async () => {
  await database?.drop();
  await smtp?.stop();
  delete process.env.WAKEBOARD_TZ;
  delete process.env.WAKEBOARD_SMTP_URL;
  resetConfig();
});

describe("the digest's figures", () => {
  it("equal the leaderboard's and raw event sums for the same week", async () => {
    const viewer = (await loadViewer(managerId))!;
    const digest = await buildDigest({ week: WEEK, teamIds: viewer.managedTeamIds, now: MONDAY_7AM });
    const period = resolvePeriod(WEEK, { tz: TZ });
    const board = await getLeaderboard({ period, metric: "tokens", view: "teams", sparkline: false });
    const mine = board.rows.filter((r) => viewer.managedTeamIds.includes(r.teamId));
    expect(digest.teams.map((t) => t.slug)).toEqual(mine.map((r) => r.slug));
    expect(digest.teams.length).toBeGreaterThanOrEqual(3);

    // Independent: tokens and active people per team from usage_events; ranks recomputed
    // from those sums over every team the leaderboard ranks (competition ranking).
    const raw = new Map<string, { tokens: number; activeUsers: number }>();
    for (const r of board.rows) raw.set(r.slug, await referenceFigures([r.teamId], period, TZ));
    const rankOf = (slug: string) => 1 + [...raw.values()].filter((x) => x.tokens > raw.get(slug)!.tokens).length;
    for (const t of digest.teams) {
      const row = mine.find((r) => r.slug === t.slug)!;
      expect(t.tokens, t.slug).toBe(raw.get(t.slug)!.tokens);
      expect(t.activeUsers, t.slug).toBe(raw.get(t.slug)!.activeUsers);
      expect(t.rank, t.slug).toBe(rankOf(t.slug));
      expect([t.rank, t.rankChange, t.adoptionPct, t.growthPct], t.slug).toEqual([row.rank, row.rankChange, row.adoptionPct, row.growthPct]);
    }
    // The manager's scope is Eng (and its teams): its adoption counts the people active there.
    expect(digest.adoption).toHaveLength(1);
    expect(digest.adoption[0].name).toBe("Eng");
    const eng = await referenceFigures([ds.teams.eng, ds.teams.platform, ds.teams.payments, ds.teams.mobile, ds.teams.empty], period, TZ);
    expect(digest.adoption[0].activeUsers).toBe(eng.activeUsers);
    // Movers: the org's largest rank changes, from the same leaderboard.
    const best = Math.max(...board.rows.map((r) => r.rankChange ?? 0));
    if (best > 0) expect(digest.movers.up[0].rankChange).toBe(best);
  });

  it("for an admin covers the whole org", async () => {
    const digest = await buildDigest({ week: WEEK, teamIds: null, now: MONDAY_7AM });
    const period = resolvePeriod(WEEK, { tz: TZ });
    const all = await referenceFigures(Object.values(ds.teams), period, TZ);
    expect(digest.scope).toBe("org");
    expect(digest.adoption[0].activeUsers).toBe(all.activeUsers);
    // Ranked first in rank order; unranked teams (no value) last, as on the leaderboard.
    const ranks = digest.teams.map((t) => t.rank);
    const ranked = ranks.filter((r) => r !== null);
    expect(ranks).toEqual([...[...ranked].sort((a, b) => a - b), ...ranks.filter((r) => r === null)]);
  });
});

describe("sending the digest", () => {
  it("is due after this week's export has written last week's files (or an hour after its time)", async () => {
    expect(await digestDue(new Date("2026-11-30T10:59:00Z"))).toBeNull(); // 05:59 in New York: before the export
    expect(await digestDue(new Date("2026-11-30T11:30:00Z"))).toBeNull(); // export time passed, files not written yet
    const prisma = await db();
    for (const grain of ["team", "team-tool"]) await prisma.exportRun.create({ data: { week: WEEK, grain, finishedAt: new Date(), path: `/x/${grain}.csv` } });
    expect(await digestDue(new Date("2026-11-30T11:30:00Z"))).toBe(WEEK);
    await prisma.exportRun.deleteMany({ where: { week: WEEK } });
    expect(await digestDue(new Date("2026-11-30T12:00:00Z"))).toBe(WEEK); // an hour late: sent anyway
  });

  it("goes once to each manager and admin, by email, in text and HTML", async () => {
    const first = await queueDigest(WEEK, MONDAY_7AM);
    expect(first).toMatchObject({ claimed: true, emails: 2, webhooks: 0 });
    expect(await queueDigest(WEEK, MONDAY_7AM)).toMatchObject({ claimed: false });
    expect(await digestDue(MONDAY_7AM)).toBeNull();
    await deliverDue({ now: MONDAY_7AM });
    await deliverDue({ now: MONDAY_7AM });
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(["boss@example.com", "eng-lead@example.com"]);
    const mail = smtp.received.find((m) => m.to[0] === "eng-lead@example.com")!;
    expect(headerOf(mail.raw, "Subject")).toBe(`[Wakeboard] Weekly digest ${WEEK}`);
    expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/);
    const body = decodeQuotedPrintable(mail.raw);
    const digest = await buildDigest({ week: WEEK, teamIds: (await loadViewer(managerId))!.managedTeamIds, now: MONDAY_7AM });
    for (const t of digest.teams) expect(body).toContain(`${t.name}: ${formatCompact(t.tokens)} tokens`);
    expect(body).toContain(`/leaderboard?period=${WEEK}`);
  });
});
