import { db } from "@/lib/db/client";
import { drainQueue } from "@/lib/rollups/drain";
import { ingest } from "@/lib/ingest/ingest";
import { hashPassword } from "@/lib/auth/password";
import { rng } from "@/lib/seed/random";
import { demoOrg, type DemoPerson } from "@/lib/seed/demo-org";

// The demo org (DESIGN.md §10): deterministic for a given `today`, and its usage goes in
// through the same ingest() as the API, so the demo exercises the real path.

const DAY = 86_400_000;

const MODELS: Record<string, [string, number][]> = {
  "claude-code": [["claude-sonnet-4-5", 0.7], ["claude-opus-4-1", 0.2], ["claude-haiku-4-5", 0.1]],
  "gemini-cli": [["gemini-2.5-pro", 0.6], ["gemini-2.5-flash", 0.4]],
  codex: [["gpt-5-codex", 0.75], ["gpt-5", 0.25]],
  copilot: [["gpt-4.1", 1]],
};

function weighted(r: () => number, options: [string, number][]): string {
  let x = r();
  for (const [v, w] of options) if ((x -= w) <= 0) return v;
  return options[options.length - 1][0];
}

export interface SeedResult {
  /** Teams (units without sub-teams), as the README and the admin page count them. */
  teams: number;
  groups: number;
  people: number;
  events: number;
  rollupRows: number;
  ms: number;
}

/** Native events for the demo org's usage over `days` days ending on `today` (UTC date). */
export function demoEvents(people: DemoPerson[], today: Date, days: number, seed = 7): Record<string, unknown>[] {
  const r = rng(seed);
  const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - (days - 1) * DAY;
  const events: Record<string, unknown>[] = [];
  people.forEach((p, pi) => {
    for (let d = 0; d < days; d++) {
      if (d < p.adoptsOn) continue;
      const dayStart = start + d * DAY;
      const weekday = new Date(dayStart).getUTCDay();
      const weekend = weekday === 0 || weekday === 6;
      const ramp = Math.min(1, (d - p.adoptsOn + 1) / 30);
      const chance = (weekend ? 0.08 : 0.45 + 0.4 * ramp) * Math.min(1, 0.5 + p.intensity / 4);
      if (r() > chance) continue;
      for (const tool of p.tools) {
        if (tool !== p.tools[0] && r() > 0.4) continue;
        const invocations = Math.max(1, Math.round(p.intensity * (2 + r() * 10) * (0.6 + ramp * 0.6)));
        const copilot = tool === "copilot";
        const input = Math.round(invocations * (copilot ? 800 + r() * 1500 : 2500 + r() * 6000));
        const output = Math.round(invocations * (copilot ? 120 + r() * 300 : 350 + r() * 1200));
        const cacheRead = copilot ? 0 : Math.round(invocations * (6000 + r() * 25_000));
        const cacheWrite = copilot ? 0 : Math.round(invocations * (800 + r() * 3500));
        const model = weighted(r, MODELS[tool]);
        const at = dayStart + (8 + r() * 10) * 3_600_000;
        events.push({
          id: `demo-${pi}-${d}-${tool}`,
          timestamp: new Date(at).toISOString(),
          tool,
          user: p.email,
          model,
          invocations,
          input_tokens: input,
          output_tokens: output,
          cache_read_tokens: cacheRead,
          cache_write_tokens: cacheWrite,
          cost_usd: Math.round(((input * 3 + output * 15 + cacheRead * 0.3 + cacheWrite * 3.75) / 1e6) * 1e4) / 1e4,
          ...(copilot ? {} : { lines_added: Math.round(invocations * r() * 40), lines_removed: Math.round(invocations * r() * 15) }),
          commits: r() < 0.4 ? 1 + Math.floor(r() * 3) : 0,
          pull_requests: r() < 0.15 ? 1 : 0,
          session_id: `s-${pi}-${d}`,
        });
      }
    }
  });
  return events;
}

export interface DemoLogin {
  email: string;
  password: string;
}

export async function seedDemo(opts: { today?: Date; days?: number; adminPassword: string; log?: (msg: string) => void }): Promise<SeedResult> {
  const started = Date.now();
  const days = opts.days ?? 120;
  const today = opts.today ?? new Date();
  const say = opts.log ?? (() => {});
  const prisma = await db();
  const { teams, people } = demoOrg(days);
  const todayUtc = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());

  const ids = new Map<string, number>();
  for (const t of teams) {
    const row = await prisma.team.upsert({
      where: { slug: t.slug },
      create: { slug: t.slug, name: t.name, parentId: t.parent ? ids.get(t.parent) : null },
      update: {},
    });
    ids.set(t.slug, row.id);
  }
  const since = new Date(todayUtc - 730 * DAY);
  for (const p of people) {
    const moved = p.movedDaysAgo ? new Date(todayUtc - p.movedDaysAgo * DAY) : null;
    await prisma.person.upsert({
      where: { email: p.email },
      update: {},
      create: {
        email: p.email,
        name: p.name,
        teamId: ids.get(p.team),
        memberships: {
          create: moved
            ? [
                { teamId: ids.get(p.previousTeam!)!, validFrom: since, validTo: moved },
                { teamId: ids.get(p.team)!, validFrom: moved },
              ]
            : [{ teamId: ids.get(p.team)!, validFrom: since }],
        },
      },
    });
  }
  // Counted as the README and the admin page count: teams are the units without sub-teams.
  const parents = new Set(teams.map((t) => t.parent));
  const leaves = teams.filter((t) => !parents.has(t.slug)).length;
  const groups = teams.filter((t) => t.parent && parents.has(t.slug)).length;
  say(`seed: ${leaves} teams in ${groups} groups, ${people.length} people`);

  const hash = await hashPassword(opts.adminPassword);
  const managed = [ids.get("platform")!];
  for (const [email, name, role] of [
    ["admin@wakeboard.local", "Demo Admin", "admin"],
    ["manager@wakeboard.local", "Demo Manager (Platform)", "manager"],
    ["viewer@wakeboard.local", "Demo Viewer", "viewer"],
  ] as const) {
    await prisma.user.upsert({
      where: { email },
      update: {},
      create: { email, name, role, passwordHash: hash, ...(role === "manager" ? { managedTeams: { create: managed.map((teamId) => ({ teamId })) } } : {}) },
    });
  }

  // Seeding for the real today: leave out the rest of today's (future) usage.
  const now = opts.today ? new Date(todayUtc + DAY) : new Date();
  const events = demoEvents(people, new Date(todayUtc), days).filter((e) => Date.parse(e.timestamp as string) <= now.getTime());
  let accepted = 0;
  for (let i = 0; i < events.length; i += 1000) {
    const res = await ingest(events.slice(i, i + 1000), { source: "seed", now });
    if (res.rejected.length) throw new Error(`seed: event ${res.rejected[0].id} rejected: ${JSON.stringify(res.rejected[0].errors)}`);
    accepted += res.accepted;
    if ((i / 1000) % 10 === 0) say(`seed: ${Math.min(i + 1000, events.length)} / ${events.length} events`);
  }
  // The aggregator may not run yet (the seed runs before the server starts): move the
  // queued rollup contributions now, so the dashboard is complete from the first page.
  await drainQueue();
  const [{ n }] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM daily_usage`;
  return { teams: leaves, groups, people: people.length, events: accepted, rollupRows: n, ms: Date.now() - started };
}

export async function isEmpty(): Promise<boolean> {
  const prisma = await db();
  return (await prisma.team.count()) === 0 && (await prisma.user.count()) === 0;
}

export const DEMO_ADMIN = "admin@wakeboard.local";
