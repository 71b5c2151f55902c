import { db } from "@/lib/db/client";
import { drainQueue } from "@/lib/rollups/drain";
import { ingest } from "@/lib/ingest/ingest";
import { addDaysTo, dayStart, type IsoDate } from "@/lib/time/calendar";

// A hand-built org for the query tests, filled through the real ingest path:
// acme → eng → {platform, payments, mobile}, acme → sales → {crm}, plus `empty` (no people,
// headcount 0) and `override` (headcount override 50). Events are pseudo-random but
// deterministic, many of them within minutes of midnight so the reporting zone matters.

export const NOW = new Date("2026-11-29T12:00:00Z");

export interface Dataset {
  teams: Record<string, number>;
  people: { id: number; email: string; team: string }[];
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export async function buildDataset(): Promise<Dataset> {
  const prisma = await db();
  const teams: Record<string, number> = {};
  const make = async (slug: string, parent?: string, headcountOverride?: number) => {
    const t = await prisma.team.create({ data: { slug, name: slug[0].toUpperCase() + slug.slice(1), parentId: parent ? teams[parent] : null, headcountOverride } });
    teams[slug] = t.id;
  };
  await make("acme");
  await make("eng", "acme");
  await make("sales", "acme");
  for (const t of ["platform", "payments", "mobile"]) await make(t, "eng");
  await make("crm", "sales");
  await make("empty", "eng");
  await make("override", "sales", 50);

  const layout: [string, number][] = [["platform", 6], ["payments", 4], ["mobile", 2], ["crm", 3], ["override", 3]];
  const people: Dataset["people"] = [];
  const since = new Date("2026-01-01T00:00:00Z");
  for (const [team, n] of layout) {
    for (let i = 0; i < n; i++) {
      const email = `${team}${i}@example.com`;
      const p = await prisma.person.create({
        data: { email, name: `${team} ${i}`, teamId: teams[team], memberships: { create: { teamId: teams[team], validFrom: since } } },
      });
      people.push({ id: p.id, email, team });
    }
  }
  // A reorg: platform0 moves to payments on 2026-11-20 (New York midnight is 05:00 UTC).
  const mover = people[0];
  const moved = new Date("2026-11-20T05:00:00Z");
  await prisma.membership.updateMany({ where: { personId: mover.id }, data: { validTo: moved } });
  await prisma.membership.create({ data: { personId: mover.id, teamId: teams.payments, validFrom: moved } });

  const rand = rng(42);
  const tools = ["claude-code", "codex", "gemini-cli"];
  const models = ["m1", "m2", "m3"];
  const events: Record<string, unknown>[] = [];
  const start = new Date("2026-10-15T00:00:00Z").getTime();
  const span = NOW.getTime() - start;
  for (let i = 0; i < 2400; i++) {
    // Half the events land within 20 minutes of a midnight in New York or in UTC.
    let t = start + Math.floor(rand() * span);
    if (rand() < 0.5) {
      const day = Math.floor(t / 86_400_000) * 86_400_000 + (rand() < 0.5 ? 5 : 0) * 3_600_000;
      t = day + Math.floor((rand() - 0.5) * 40 * 60_000);
    }
    if (t > NOW.getTime()) t = NOW.getTime() - 1000;
    const who = rand() < 0.9 ? people[Math.floor(rand() * people.length)] : null;
    const e: Record<string, unknown> = {
      id: `ds-${i}`,
      timestamp: new Date(t).toISOString(),
      tool: tools[Math.floor(rand() * tools.length)],
      model: models[Math.floor(rand() * models.length)],
      invocations: rand() < 0.2 ? 0 : 1 + Math.floor(rand() * 3),
      input_tokens: Math.floor(rand() * 5000),
      output_tokens: Math.floor(rand() * 2000),
      cache_read_tokens: rand() < 0.5 ? Math.floor(rand() * 10000) : 0,
      cache_write_tokens: rand() < 0.3 ? Math.floor(rand() * 1000) : 0,
      cost_usd: Math.round(rand() * 100000) / 1e6,
    };
    if (who) e.user = who.email;
    else e.team = rand() < 0.5 ? "crm" : "mobile";
    if (rand() < 0.02) {
      e.invocations = 0;
      e.input_tokens = e.output_tokens = e.cache_read_tokens = e.cache_write_tokens = 0;
    }
    events.push(e);
  }
  for (let i = 0; i < events.length; i += 500) {
    const r = await ingest(events.slice(i, i + 500), { source: "test", now: NOW });
    if (r.rejected.length) throw new Error(JSON.stringify(r.rejected.slice(0, 3)));
  }
  await drainQueue();
  return { teams, people };
}

export interface Reference {
  invocations: number;
  tokens: number;
  costUsd: number;
  activeUsers: number;
}

/**
 * The independent path: sums straight from usage_events over the period's instants in
 * `tz` (computed with @date-fns/tz, not PostgreSQL's AT TIME ZONE), for the given teams.
 */
export async function referenceFigures(
  teamIds: number[],
  range: { from: IsoDate; to: IsoDate },
  tz: string,
  filter: { tools?: string[]; models?: string[] } = {},
): Promise<Reference> {
  const prisma = await db();
  const [r] = await prisma.$queryRaw<Reference[]>`
    SELECT coalesce(sum(e.invocations), 0)::float8 AS "invocations",
      coalesce(sum(e.input_tokens + e.output_tokens + e.cache_read_tokens + e.cache_write_tokens), 0)::float8 AS "tokens",
      coalesce(sum(e.cost_usd), 0)::float8 AS "costUsd",
      count(DISTINCT e.person_id) FILTER (WHERE e.invocations > 0 OR e.input_tokens + e.output_tokens + e.cache_read_tokens + e.cache_write_tokens > 0)::int AS "activeUsers"
    FROM usage_events e JOIN tools t ON t.id = e.tool_id
    WHERE e.team_id = ANY(${teamIds}::int[])
      AND e.occurred_at >= ${dayStart(range.from, tz)} AND e.occurred_at < ${dayStart(addDaysTo(range.to, 1), tz)}
      AND (${filter.tools ?? null}::text[] IS NULL OR t.slug = ANY(${filter.tools ?? null}::text[]))
      AND (${filter.models ?? null}::text[] IS NULL OR e.model = ANY(${filter.models ?? null}::text[]))`;
  return r;
}
